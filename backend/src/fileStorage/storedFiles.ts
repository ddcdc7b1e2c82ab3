// Stored files in the database: a `_storage` system document per file in its
// component (fields as Convex: sha256 (base64), size, contentType?) plus our
// own `storage_blobs` row linking that id to the blob's key. Both change in
// the caller's transaction; a deleted file's blob is unlinked only once that
// transaction has committed (see StoredFiles.afterCommit).
import { jsonToConvex, type Value } from "convex/values";
import type { Transaction } from "../database/transaction.js";
import type { Connection } from "../storage/sqlite.js";

export const STORAGE_TABLE = "_storage";

export interface StoredFile {
  storageId: string;
  component: string;
  key: string;
  /** base64, as in `_storage` documents. */
  sha256: string;
  size: number;
  contentType: string | null;
}

export function ensureStoredFilesSchema(db: Connection): void {
  db.exec(
    "CREATE TABLE IF NOT EXISTS storage_blobs (storage_id TEXT PRIMARY KEY, component TEXT NOT NULL, blob_key TEXT NOT NULL UNIQUE)",
  );
}

/**
 * Blob keys whose rows some transaction on this writer connection deleted.
 * Commits are announced under the writer lock, after every transaction that
 * recorded a key has committed or rolled back: a key no longer linked then
 * was deleted for good, a key still linked was rolled back.
 */
const pendingUnlinks = new WeakMap<Connection, Set<string>>();

export function insertStoredFile(
  tx: Transaction,
  component: string,
  file: { key: string; sha256: Buffer; size: number; contentType: string | null },
): string {
  const fields: Record<string, Value> = { sha256: file.sha256.toString("base64"), size: file.size };
  if (file.contentType) fields.contentType = file.contentType;
  const storageId = tx.insertSystem(component, STORAGE_TABLE, fields);
  tx.store.db.prepare("INSERT INTO storage_blobs (storage_id, component, blob_key) VALUES (?, ?, ?)").run(storageId, component, file.key);
  return storageId;
}

/** The file behind a `_storage` id of `component` (recording the read), or null. */
export function findStoredFile(tx: Transaction, component: string, storageId: string): StoredFile | null {
  const table = tx.tableOfId(component, storageId);
  if (!table || table.name !== STORAGE_TABLE) return null;
  const json = tx.get(component, storageId, { isSystem: true });
  if (json === null) return null;
  const key = tx.store.db.prepare("SELECT blob_key FROM storage_blobs WHERE storage_id = ?").pluck().get(storageId) as string | undefined;
  if (key === undefined) return null;
  return fileOf(storageId, component, key, json);
}

/** A file by its blob key (downloads), or null. */
export function findStoredFileByKey(tx: Transaction, key: string): StoredFile | null {
  const row = tx.store.db.prepare("SELECT storage_id AS storageId, component FROM storage_blobs WHERE blob_key = ?").get(key) as
    | { storageId: string; component: string }
    | undefined;
  if (!row) return null;
  const json = tx.get(row.component, row.storageId, { isSystem: true });
  return json === null ? null : fileOf(row.storageId, row.component, key, json);
}

function fileOf(storageId: string, component: string, key: string, json: string): StoredFile {
  const doc = jsonToConvex(JSON.parse(json)) as { sha256: string; size: number | bigint; contentType?: string };
  return { storageId, component, key, sha256: doc.sha256, size: Number(doc.size), contentType: doc.contentType ?? null };
}

/** Deletes the file's document and link; its blob goes once `tx` commits. False when there is no such file. */
export function deleteStoredFile(tx: Transaction, component: string, storageId: string): boolean {
  const file = findStoredFile(tx, component, storageId);
  if (!file) return false;
  tx.removeSystem(component, storageId);
  tx.store.db.prepare("DELETE FROM storage_blobs WHERE storage_id = ?").run(storageId);
  let keys = pendingUnlinks.get(tx.store.db);
  if (!keys) pendingUnlinks.set(tx.store.db, (keys = new Set()));
  keys.add(file.key);
  return true;
}

/** Blob keys to unlink now that a commit on `writer` was announced (see pendingUnlinks). */
export function unlinkableAfterCommit(writer: Connection): string[] {
  const keys = pendingUnlinks.get(writer);
  if (!keys || keys.size === 0) return [];
  const stillLinked = writer.prepare("SELECT 1 FROM storage_blobs WHERE blob_key = ?").pluck();
  const unlinkable = [...keys].filter((key) => stillLinked.get(key) === undefined);
  keys.clear();
  return unlinkable;
}

export function allBlobKeys(db: Connection): Set<string> {
  return new Set(db.prepare("SELECT blob_key FROM storage_blobs").pluck().all() as string[]);
}

// ---- snapshot import (operations/storageImport.ts) ----

/** Links an imported `_storage` document (already inserted with its original id) to its blob. */
export function linkImportedFile(tx: Transaction, component: string, storageId: string, key: string): void {
  tx.store.db.prepare("INSERT INTO storage_blobs (storage_id, component, blob_key) VALUES (?, ?, ?)").run(storageId, component, key);
}

/**
 * Forgets every file link of `component` (its `_storage` table is being
 * replaced by an import) and returns their blob keys, to remove once the
 * import has committed.
 */
export function unlinkAllFiles(tx: Transaction, component: string): string[] {
  const db = tx.store.db;
  const keys = db.prepare("SELECT blob_key FROM storage_blobs WHERE component = ?").pluck().all(component) as string[];
  db.prepare("DELETE FROM storage_blobs WHERE component = ?").run(component);
  return keys;
}
