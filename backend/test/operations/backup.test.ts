// `sems-backend backup` of a running backend under a steady write load: the
// copy opens as a consistent database (integrity check, every document with
// its index entries, whole mutations only) and a backend starts from it.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { afterAll, expect, test } from "vitest";
import { BACKEND_BIN, startBackendProcess, type BackendProcess } from "../helpers/backendProcess.js";
import type { TempProject } from "../helpers/fixtureProject.js";
import { callFunction, copyOperationsApp, dumpTable, startOperationsBackend } from "./opsHelpers.js";

const run = promisify(execFile);
const cleanup: (() => Promise<unknown> | void)[] = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
});

test("backs up a running backend under writes into a consistent, startable copy", async () => {
  const project: TempProject = copyOperationsApp();
  cleanup.push(() => project.remove());
  const backend: BackendProcess = await startOperationsBackend(project);
  cleanup.push(() => backend.stop());
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "sems-backup-")), "copy");
  cleanup.push(() => fs.rmSync(path.dirname(out), { recursive: true, force: true }));

  // Each mutation writes an item and a note pointing at it: a torn copy would show an item without its note.
  let writing = true;
  let acknowledged = 0;
  const writers = [0, 1, 2].map(async (w) => {
    for (let i = 0; writing; i++) {
      const id = await callFunction(backend, "ops:add", { name: `w${w}-${i}`, n: i });
      await callFunction(backend, "ops:addNote", { item: id, text: `note ${w}-${i}` });
      acknowledged++;
    }
  });
  while (acknowledged < 100) await new Promise((r) => setTimeout(r, 10));
  const { stdout } = await run(process.execPath, [BACKEND_BIN, "backup", "--data", backend.dataDir, "--out", out]);
  const atBackup = acknowledged;
  while (acknowledged < atBackup + 50) await new Promise((r) => setTimeout(r, 10));
  writing = false;
  await Promise.all(writers);
  expect(stdout).toMatch(/Backed up the database at ts \d+/);

  expect(fs.readdirSync(out).sort()).toEqual(expect.arrayContaining(["BACKUP.json", "admin_key", "blobs", "convex.sqlite3", "modules"]));
  const db = new Database(path.join(out, "convex.sqlite3"), { readonly: true });
  try {
    expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    // Every document has exactly one entry in its table's by_id index, and no entry lacks its document.
    const documents = db.prepare("SELECT COUNT(*) FROM documents").pluck().get() as number;
    const byId = db.prepare("SELECT COUNT(*) FROM index_entries e JOIN indexes i ON i.index_id = e.index_id WHERE i.name = 'by_id'").pluck().get() as number;
    const dangling = db.prepare("SELECT COUNT(*) FROM index_entries e LEFT JOIN documents d ON d.rowid = e.doc WHERE d.rowid IS NULL").pluck().get() as number;
    expect(byId).toBe(documents);
    expect(dangling).toBe(0);
  } finally {
    db.close();
  }

  // The copy is a data directory: a backend starts from it and serves the pushed code and the data.
  const restored = await startBackendProcess({ dataDir: out });
  cleanup.push(() => restored.stop());
  const items = await dumpTable(restored, "items");
  const notes = await dumpTable(restored, "notes");
  expect(items.length).toBeGreaterThanOrEqual(100);
  expect(items.length).toBeLessThan(acknowledged + 3);
  // Writes between the item and its note are separate mutations: at most one per writer can be in flight.
  expect(items.length - notes.length).toBeGreaterThanOrEqual(0);
  expect(items.length - notes.length).toBeLessThanOrEqual(3);
  const itemIds = new Set(items.map((i) => i._id));
  for (const note of notes) expect(itemIds.has(note.item)).toBe(true);
  expect(await callFunction(restored, "ops:count", {})).toBe(items.length);
});
