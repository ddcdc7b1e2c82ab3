// Writes a snapshot of the whole database as a ZIP in Convex's snapshot
// export layout, so `npx convex import` takes it into Convex Cloud unchanged
// (layout from convex-backend `crates/application/src/exports/`):
//
//   README.md
//   _tables/documents.jsonl                {"name": "<table>", "id": <table number>} per user table
//   <table>/generated_schema.jsonl         "uniform"  (documents use ConvexExportJSON, see exportJson.ts)
//   <table>/documents.jsonl                one document per line, in _creationTime order
//   _storage/documents.jsonl, _storage/<id>[.ext]   with --include-file-storage (storageExport.ts)
//   _components/<name>/…                   the same for each component (nested for nested components)
//
// The whole export reads one SQLite read transaction on its own connection:
// one consistent snapshot, while the backend keeps serving and committing.
// System tables (names starting "_") are not exported, as in Convex. File
// storage (`_storage/…`, see storageExport.ts) is added when asked for
// (`npx convex export --include-file-storage`), after every table, as Convex does.

import { openConnection, type Connection } from "../storage/sqlite.js";
import type { BlobStore } from "../fileStorage/blobStore.js";
import { documentToExportLine } from "./exportJson.js";
import { writeStorageEntries } from "./storageExport.js";
import { ZipWriter } from "./zip/zipWriter.js";

export interface SnapshotExportResult {
  /** The commit timestamp the snapshot reflects. */
  ts: bigint;
  path: string;
  bytes: number;
  documents: number;
  tables: number;
  /** Stored files written (0 unless storage was included). */
  files: number;
}

export interface SnapshotExportOptions {
  /** Include `_storage` documents and file contents; needs `blobs`. */
  includeStorage?: boolean;
  blobs?: BlobStore;
}

const README = `# Welcome to your Convex snapshot export!

This ZIP file contains a snapshot of the tables of a SEMS (Convex-compatible) deployment.

Documents for each table are listed as lines of JSON in
<table_name>/documents.jsonl files, in Convex's export encoding
(generated_schema.jsonl says "uniform"): integers are int64, numbers with a
decimal point are float64, bytes are {"$bytes": base64}.

Import it with \`npx convex import <this file>\` into this backend or Convex.
`;

interface TableRow {
  table_number: number;
  component: string;
  name: string;
}

/** "" → ""; "a/b" → "_components/a/_components/b/" */
export function componentPrefix(component: string): string {
  return component === "" ? "" : component.split("/").map((name) => `_components/${name}/`).join("");
}

const CHUNK_BYTES = 1 << 20;

async function* documentLines(db: Connection, indexId: number, counter: { documents: number }): AsyncGenerator<string> {
  const rows = db
    .prepare("SELECT d.json AS json FROM index_entries e JOIN documents d ON d.rowid = e.doc WHERE e.index_id = ? ORDER BY e.key")
    .pluck()
    .iterate(indexId) as IterableIterator<string>;
  let chunk: string[] = [];
  let size = 0;
  for (const json of rows) {
    const line = documentToExportLine(json);
    chunk.push(line);
    size += line.length + 1;
    counter.documents++;
    if (size >= CHUNK_BYTES) {
      yield chunk.join("\n") + "\n";
      chunk = [];
      size = 0;
    }
  }
  if (chunk.length) yield chunk.join("\n") + "\n";
}

export async function writeSnapshotZip(databasePath: string, outPath: string, options: SnapshotExportOptions = {}): Promise<SnapshotExportResult> {
  const blobs = options.includeStorage ? options.blobs : undefined;
  if (options.includeStorage && !blobs) throw new Error("This backend has no file storage to export.");
  // Before the snapshot begins: a file deleted after it must still be readable.
  const release = blobs?.retainAll();
  const db = openConnection(databasePath);
  const zip = await ZipWriter.create(outPath);
  const counter = { documents: 0 };
  let files = 0;
  try {
    db.exec("BEGIN");
    const ts = (db.prepare("SELECT value FROM meta WHERE key = 'ts'").safeIntegers(true).pluck().get() as bigint | undefined) ?? 0n;
    const tables = (db.prepare("SELECT table_number, component, name FROM tables ORDER BY component, table_number").all() as TableRow[]).filter(
      (t) => !t.name.startsWith("_"),
    );
    const byCreationTime = new Map(
      (db.prepare("SELECT table_number, index_id FROM indexes WHERE name = 'by_creation_time'").all() as { table_number: number; index_id: number }[]).map(
        (r) => [r.table_number, r.index_id],
      ),
    );
    const components = [...new Set(["", ...(db.prepare("SELECT DISTINCT component FROM tables").pluck().all() as string[])])].sort();

    await zip.add("README.md", README);
    for (const component of components) {
      const lines = tables.filter((t) => t.component === component).map((t) => JSON.stringify({ name: t.name, id: t.table_number }));
      await zip.add(`${componentPrefix(component)}_tables/documents.jsonl`, lines.length ? lines.join("\n") + "\n" : "");
    }
    for (const table of tables) {
      const prefix = `${componentPrefix(table.component)}${table.name}/`;
      await zip.add(`${prefix}generated_schema.jsonl`, `"uniform"\n`);
      const indexId = byCreationTime.get(table.table_number);
      await zip.add(`${prefix}documents.jsonl`, indexId === undefined ? "" : documentLines(db, indexId, counter));
    }
    if (blobs) {
      for (const component of components) files += await writeStorageEntries(db, zip, blobs, component, componentPrefix(component));
    }
    db.exec("COMMIT");
    const { bytes } = await zip.close();
    return { ts, path: outPath, bytes, documents: counter.documents, tables: tables.length, files };
  } catch (error) {
    await zip.abort();
    throw error;
  } finally {
    if (db.inTransaction) db.exec("ROLLBACK");
    db.close();
    await release?.();
  }
}
