// A consistent copy of a (possibly running) backend's database: SQLite's online
// backup reads one snapshot through its own connection, so the backend keeps
// serving while it runs.
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";

export async function backupDataDirectory(dataDir: string, out: string): Promise<{ path: string; bytes: number }> {
  const source = path.join(path.resolve(dataDir), "convex.sqlite3");
  if (!fs.existsSync(source)) throw new Error(`No backend database at ${source}.`);
  const target = path.resolve(out);
  const db = new Database(source, { fileMustExist: true });
  try {
    db.pragma("busy_timeout = 10000");
    await db.backup(target);
  } finally {
    db.close();
  }
  return { path: target, bytes: fs.statSync(target).size };
}
