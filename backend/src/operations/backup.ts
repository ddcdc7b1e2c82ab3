// `sems-backend backup --data <dir> --out <dir>`: a copy of a running
// backend's data directory that a backend can start from, taken without
// stopping it. The output is a directory laid out like a data directory:
//
//   <out>/convex.sqlite3   the database, as of one commit
//   <out>/blobs/           stored files
//   <out>/modules/         the pushed code the database's last push refers to
//   <out>/admin_key        the deployment's admin key (mode 0600)
//   <out>/BACKUP.json      what was copied, and when
//
// A directory rather than an archive: it restores with `cp -r` (or by
// starting `sems-backend start --data <out>`), needs no extra tool to inspect,
// and `tar`/`zip` of it is one command for whoever wants a single file.
//
// The database is copied with `VACUUM INTO`, which reads one snapshot in one
// read transaction; in WAL mode that never blocks the backend's writer, and
// unlike the step-wise online backup API it cannot be restarted forever by a
// steady stream of commits. Blobs and modules are copied after the database,
// so every file the copied database refers to already existed; a file written
// later may be copied too (harmless), and one deleted between the two steps
// is reported as missing.

import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";

export interface BackupResult {
  path: string;
  databaseBytes: number;
  blobs: number;
  modules: number;
  ts: string;
}

function copyTree(from: string, to: string): number {
  if (!fs.existsSync(from)) return 0;
  let files = 0;
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    try {
      if (entry.isDirectory()) files += copyTree(source, target);
      else if (entry.isFile()) {
        fs.copyFileSync(source, target);
        files++;
      }
    } catch (error) {
      // Deleted while we walked (a replaced deployment, a deleted file): nothing left to copy.
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }
  return files;
}

export async function backupDataDirectory(dataDir: string, out: string): Promise<BackupResult> {
  const root = path.resolve(dataDir);
  const source = path.join(root, "convex.sqlite3");
  if (!fs.existsSync(source)) throw new Error(`No backend database at ${source}.`);
  const target = path.resolve(out);
  if (fs.existsSync(target) && fs.readdirSync(target).length > 0) {
    throw new Error(`${target} already exists and is not empty; choose a new --out directory.`);
  }
  const partial = `${target}.partial-${process.pid}`;
  fs.rmSync(partial, { recursive: true, force: true });
  fs.mkdirSync(partial, { recursive: true });
  try {
    const db = new Database(source, { fileMustExist: true });
    let ts = "0";
    try {
      db.pragma("busy_timeout = 10000");
      db.exec(`VACUUM INTO '${path.join(partial, "convex.sqlite3").replaceAll("'", "''")}'`);
    } finally {
      db.close();
    }
    const copy = new Database(path.join(partial, "convex.sqlite3"), { fileMustExist: true });
    try {
      const value = copy.prepare("SELECT value FROM meta WHERE key = 'ts'").safeIntegers(true).pluck().get() as bigint | undefined;
      ts = String(value ?? 0n);
    } finally {
      copy.close();
    }
    const blobs = copyTree(path.join(root, "blobs"), path.join(partial, "blobs"));
    const modules = copyTree(path.join(root, "modules"), path.join(partial, "modules"));
    const adminKey = path.join(root, "admin_key");
    if (fs.existsSync(adminKey)) {
      fs.copyFileSync(adminKey, path.join(partial, "admin_key"));
      fs.chmodSync(path.join(partial, "admin_key"), 0o600);
    }
    const databaseBytes = fs.statSync(path.join(partial, "convex.sqlite3")).size;
    fs.writeFileSync(
      path.join(partial, "BACKUP.json"),
      JSON.stringify({ source: root, takenAt: new Date().toISOString(), ts, databaseBytes, blobs, modules }, null, 2) + "\n",
    );
    fs.rmSync(target, { recursive: true, force: true });
    fs.renameSync(partial, target);
    return { path: target, databaseBytes, blobs, modules, ts };
  } catch (error) {
    fs.rmSync(partial, { recursive: true, force: true });
    throw error;
  }
}
