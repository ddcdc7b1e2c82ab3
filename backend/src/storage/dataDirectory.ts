// The data directory: one SQLite database, blobs, loaded module files, the
// admin key, and a lock that keeps a second backend process off the same data.
import fs from "node:fs";
import path from "node:path";

export class DataDirectoryLockedError extends Error {}

export interface DataDirectory {
  root: string;
  databasePath: string;
  modulesDir: string;
  blobsDir: string;
  adminKeyPath: string;
  release(): void;
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Opens (creating if needed) a data directory and takes its lock. The lock is a
 * file holding our pid, created exclusively; a lock left by a process that no
 * longer runs (kill -9) is taken over.
 */
export function openDataDirectory(root: string): DataDirectory {
  const absolute = path.resolve(root);
  fs.mkdirSync(absolute, { recursive: true });
  const lockPath = path.join(absolute, "backend.lock");
  for (let attempt = 0; ; attempt++) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: "wx" });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST" || attempt > 2) throw error;
      const holder = Number.parseInt(fs.readFileSync(lockPath, "utf8"), 10);
      if (Number.isFinite(holder) && holder !== process.pid && processIsAlive(holder)) {
        throw new DataDirectoryLockedError(
          `The data directory ${absolute} is in use by another sems-backend process (pid ${holder}). ` +
            `Stop that process first, or start this one with a different --data directory.`,
        );
      }
      fs.rmSync(lockPath, { force: true });
    }
  }
  const dirs = {
    root: absolute,
    databasePath: path.join(absolute, "convex.sqlite3"),
    modulesDir: path.join(absolute, "modules"),
    blobsDir: path.join(absolute, "blobs"),
    adminKeyPath: path.join(absolute, "admin_key"),
  };
  fs.mkdirSync(dirs.modulesDir, { recursive: true });
  fs.mkdirSync(dirs.blobsDir, { recursive: true });
  let released = false;
  return {
    ...dirs,
    release() {
      if (released) return;
      released = true;
      try {
        if (fs.readFileSync(lockPath, "utf8") === String(process.pid)) fs.rmSync(lockPath);
      } catch {
        // Already gone: nothing to release.
      }
    },
  };
}
