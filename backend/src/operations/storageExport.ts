// File storage in a snapshot export (`npx convex export --include-file-storage`,
// which asks for `?includeStorage=true`), in Convex's layout
// (convex-backend `crates/exports/src/export_storage.rs`), per component after
// its tables:
//
//   [_components/<c>/]_storage/documents.jsonl   one line per file, plain JSON:
//       {"_id", "_creationTime", "sha256" (base64), "size", "contentType" (or null), "internalId"}
//   [_components/<c>/]_storage/<_id>[.<ext>]     the file's bytes; the extension is
//                                                 a guess from the content type, for people only
//
// `internalId` is Convex's storage UUID (the one in download URLs); ours is the
// blob key, which has the same form. Files are streamed from their blobs into
// the ZIP: a large file is never held in memory.

import fs from "node:fs";
import type { BlobStore } from "../fileStorage/blobStore.js";
import type { Connection } from "../storage/sqlite.js";
import type { ZipWriter } from "./zip/zipWriter.js";

const STORAGE_TABLE = "_storage";

interface StorageRow {
  id: string;
  json: string;
  key: string | null;
}

/** Common types' extensions (the first one mime-db lists, as Convex's `mime2ext` picks). */
const EXTENSIONS: Record<string, string> = {
  "application/json": "json",
  "application/msword": "doc",
  "application/octet-stream": "bin",
  "application/pdf": "pdf",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
  "application/zip": "zip",
  "audio/mpeg": "mpga",
  "image/gif": "gif",
  "image/jpeg": "jpeg",
  "image/png": "png",
  "image/svg+xml": "svg",
  "image/webp": "webp",
  "text/csv": "csv",
  "text/html": "html",
  "text/markdown": "md",
  "text/plain": "txt",
  "video/mp4": "mp4",
};

export function extensionFor(contentType: string | null | undefined): string {
  if (!contentType) return "";
  const ext = EXTENSIONS[contentType.split(";")[0]!.trim().toLowerCase()];
  return ext ? `.${ext}` : "";
}

function hasLinkTable(db: Connection): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'storage_blobs'").get() !== undefined;
}

function storageRows(db: Connection, component: string): StorageRow[] {
  const table = db.prepare("SELECT table_number FROM tables WHERE component = ? AND name = ?").pluck().get(component, STORAGE_TABLE) as number | undefined;
  if (table === undefined) return [];
  const index = db.prepare("SELECT index_id FROM indexes WHERE table_number = ? AND name = 'by_creation_time'").pluck().get(table) as number | undefined;
  if (index === undefined) return [];
  const link = hasLinkTable(db);
  return db
    .prepare(
      `SELECT d.id AS id, d.json AS json, ${link ? "b.blob_key" : "NULL"} AS key
       FROM index_entries e JOIN documents d ON d.rowid = e.doc
       ${link ? "LEFT JOIN storage_blobs b ON b.storage_id = d.id" : ""}
       WHERE e.index_id = ? ORDER BY e.key`,
    )
    .all(index) as StorageRow[];
}

interface StoredFileDoc {
  _id: string;
  _creationTime: number;
  sha256: string;
  size: number | { $integer: string };
  contentType?: string;
}

function sizeOf(size: StoredFileDoc["size"]): number {
  return typeof size === "number" ? size : Number(Buffer.from(size.$integer, "base64").readBigInt64LE(0));
}

/**
 * Writes `<prefix>_storage/documents.jsonl` and every file of `component`.
 * Runs inside the export's read transaction on `db`; blobs must be retained
 * (BlobStore.retainAll) since before that transaction began.
 */
export async function writeStorageEntries(db: Connection, zip: ZipWriter, blobs: BlobStore, component: string, prefix: string): Promise<number> {
  const rows = storageRows(db, component);
  const files = rows.map((row) => {
    const doc = JSON.parse(row.json) as StoredFileDoc;
    if (row.key === null) throw new Error(`file missing from storage: ${row.id} has no blob`);
    return { id: row.id, key: row.key, doc };
  });
  const lines = files.map(({ id, key, doc }) =>
    JSON.stringify({
      _id: id,
      _creationTime: doc._creationTime,
      sha256: doc.sha256,
      size: sizeOf(doc.size),
      contentType: doc.contentType ?? null,
      internalId: key,
    }),
  );
  await zip.add(`${prefix}${STORAGE_TABLE}/documents.jsonl`, lines.length ? lines.join("\n") + "\n" : "");
  for (const { id, key, doc } of files) {
    let handle: fs.promises.FileHandle;
    try {
      handle = await fs.promises.open(blobs.pathOf(key), "r");
    } catch {
      throw new Error(`file missing from storage: ${id} with key ${key}`);
    }
    try {
      await zip.add(`${prefix}${STORAGE_TABLE}/${id}${extensionFor(doc.contentType)}`, handle.createReadStream({ highWaterMark: 1 << 20, autoClose: false }));
    } finally {
      await handle.close();
    }
  }
  return files.length;
}
