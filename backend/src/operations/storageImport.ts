// Importing file storage from a snapshot ZIP, as Convex does
// (convex-backend `crates/application/src/snapshot_import/import_file_storage.rs`
// and `mod.rs`): a component's `_storage` is imported when its
// `_storage/documents.jsonl` is in the ZIP; each `_storage/<id>[.ext]` entry
// becomes a file with id `<id>`, its metadata from that list (a listed file
// whose bytes are missing is skipped; bytes without a listing still import).
// The `_storage` table takes the number its ids encode (the first listed id,
// like any imported table), so `v.id("_storage")` fields in imported documents
// stay valid; when that number is taken here the ids are re-encoded, and the
// component's imported documents with them (snapshotImport.ts rewriteIds).
//
// Modes, as for user tables: requireEmpty refuses when the component already
// has files; append adds to them; replace and replaceAll replace them (the old
// blobs are removed once the import has committed). replaceAll leaves the file
// storage of components the ZIP has no `_storage` for alone, as Convex does.
//
// Bytes are streamed into the blob store (temp file, fsync, rename) before the
// import's transaction; the documents are written inside it. If the import
// fails the new blobs are removed; a crash in between leaves blobs no document
// names, which the start-up sweep removes.

import type { BlobStore } from "../fileStorage/blobStore.js";
import { linkImportedFile, unlinkAllFiles } from "../fileStorage/storedFiles.js";
import type { Document, Transaction } from "../database/transaction.js";
import type { TableInfo } from "../storage/catalog.js";
import { decodeDocumentId, encodeDocumentId } from "../values/ids.js";
import { ImportError, type ImportStorage } from "./importSources.js";
import { clearTable, createTableNumbered, dropTable, freeSystemTableNumber, insertImported } from "./tableSurgery.js";

export const STORAGE_TABLE = "_storage";

interface FileMetadata {
  creationTime?: number;
  sha256?: string;
  contentType?: string;
  internalId?: string;
}

export interface StagedFile {
  id: string;
  key: string;
  sha256: Buffer;
  size: number;
  contentType: string | null;
  creationTime?: number;
}

export interface StagedStorage {
  component: string;
  /** The table number the ids encode. */
  wanted?: number;
  files: StagedFile[];
}

function metadataError(row: number, message: string): ImportError {
  return new ImportError("InvalidConvexValue", `Row ${row} of _storage/documents.jsonl wasn't valid: ${message}`);
}

function optionalString(row: number, record: Record<string, unknown>, field: string): string | undefined {
  const value = record[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw metadataError(row, `${field} must be a string`);
  return value;
}

async function readMetadata(source: ImportStorage): Promise<{ wanted?: number; byId: Map<string, FileMetadata> }> {
  const byId = new Map<string, FileMetadata>();
  let wanted: number | undefined;
  let row = 0;
  for await (const line of source.metadata()) {
    row++;
    if (line === null || typeof line !== "object" || Array.isArray(line)) throw new ImportError("NotAnObject", `Row ${row} of _storage/documents.jsonl wasn't an object`);
    const record = line as Record<string, unknown>;
    const id = record._id;
    const decoded = typeof id === "string" ? decodeDocumentId(id) : null;
    if (!decoded) throw metadataError(row, `_id ${JSON.stringify(id)} is not a Convex document id`);
    wanted ??= decoded.tableNumber;
    if (decoded.tableNumber !== wanted) {
      throw new ImportError("InvalidId", `_storage entry has invalid ID ${id} (${decoded.tableNumber} != ${wanted})`);
    }
    const metadata: FileMetadata = {};
    const creationTime = record._creationTime;
    if (typeof creationTime === "number" && Number.isFinite(creationTime) && creationTime > 0) metadata.creationTime = creationTime;
    else if (creationTime !== undefined && creationTime !== null) throw metadataError(row, "_creationTime must be a positive number");
    const sha256 = optionalString(row, record, "sha256");
    if (sha256 !== undefined) metadata.sha256 = sha256;
    const contentType = optionalString(row, record, "contentType");
    if (contentType !== undefined) metadata.contentType = contentType;
    const internalId = optionalString(row, record, "internalId");
    if (internalId !== undefined) metadata.internalId = internalId;
    byId.set(id as string, metadata);
  }
  return wanted === undefined ? { byId } : { wanted, byId };
}

/**
 * Streams every file of `sources` into `blobs`, checking each against its
 * listed sha256. Call `discard` when the import does not commit.
 */
export async function stageStorage(blobs: BlobStore, sources: ImportStorage[]): Promise<{ staged: StagedStorage[]; discard(): Promise<void> }> {
  const written: string[] = [];
  const discard = async () => {
    await Promise.all(written.splice(0).map((key) => blobs.remove(key)));
  };
  const staged: StagedStorage[] = [];
  try {
    for (const source of sources) {
      const { wanted: listed, byId } = await readMetadata(source);
      let wanted = listed;
      const files: StagedFile[] = [];
      for (const file of source.files) {
        const tableNumber = decodeDocumentId(file.id)!.tableNumber;
        wanted ??= tableNumber;
        if (tableNumber !== wanted) throw new ImportError("InvalidId", `_storage entry has invalid ID ${file.id} (${tableNumber} != ${wanted})`);
        const metadata = byId.get(file.id) ?? {};
        const blob = await blobs.write(await file.stream(), Infinity, metadata.internalId);
        written.push(blob.key);
        const actual = blob.sha256.toString("base64");
        if (metadata.sha256 !== undefined && metadata.sha256 !== actual) {
          throw new ImportError("Sha256Mismatch", `Sha256 mismatch. Expected: ${metadata.sha256} Actual: ${actual}`);
        }
        const stagedFile: StagedFile = { id: file.id, key: blob.key, sha256: blob.sha256, size: blob.size, contentType: metadata.contentType ?? null };
        if (metadata.creationTime !== undefined) stagedFile.creationTime = metadata.creationTime;
        files.push(stagedFile);
      }
      staged.push(wanted === undefined ? { component: source.component, files } : { component: source.component, wanted, files });
    }
  } catch (error) {
    await discard();
    throw error;
  }
  return { staged, discard };
}

/** Old table number → new, per component (shared with snapshotImport.ts). */
export type NumberRemaps = Map<string, Map<number, number>>;

function remapNumber(remaps: NumberRemaps, component: string, from: number, to: number): void {
  let remap = remaps.get(component);
  if (!remap) remaps.set(component, (remap = new Map()));
  remap.set(from, to);
}

export interface PreparedStorage {
  staged: StagedStorage;
  table: TableInfo;
  /** Blobs of the files this import replaces: remove them once it has committed. */
  replacedKeys: string[];
}

/**
 * Makes the component's `_storage` table ready for the import, inside its
 * transaction: refuses, keeps, empties or replaces it per `mode`, under the
 * number the imported ids encode when it is free.
 */
export function prepareStorageTable(
  tx: Transaction,
  staged: StagedStorage,
  mode: "requireEmpty" | "append" | "replace" | "replaceAll",
  remaps: NumberRemaps,
  tableExists: (table: string) => Error,
): PreparedStorage {
  const { component, wanted } = staged;
  const existing = tx.catalog.table(component, STORAGE_TABLE);
  const existingCount = existing ? tx.store.count(existing.indexes.get("by_creation_time")!.id) : 0;
  if (existing && mode === "requireEmpty" && existingCount > 0) throw tableExists(STORAGE_TABLE);
  if (existing && mode === "append") {
    // Convex refuses an append whose ids name another table number; here that
    // number is a per-backend accident, so the ids are re-encoded instead.
    if (wanted !== undefined && wanted !== existing.number) remapNumber(remaps, component, wanted, existing.number);
    return { staged, table: existing, replacedKeys: [] };
  }
  const replacedKeys = existing ? unlinkAllFiles(tx, component) : [];
  if (existing && (wanted === undefined || wanted === existing.number)) {
    clearTable(tx, existing);
    return { staged, table: existing, replacedKeys };
  }
  const indexes = existing ? dropTable(tx, existing) : [];
  let number = wanted ?? freeSystemTableNumber(tx);
  if (tx.catalog.tableByNumber(number) !== undefined) {
    number = freeSystemTableNumber(tx);
    remapNumber(remaps, component, wanted!, number);
  }
  return { staged, table: createTableNumbered(tx, component, STORAGE_TABLE, number, indexes), replacedKeys };
}

/** Writes the `_storage` documents (with their original ids, re-encoded if renumbered) and links them to their blobs. */
export function insertStoredFiles(tx: Transaction, prepared: PreparedStorage, remaps: NumberRemaps, now: () => number): number {
  const { staged, table } = prepared;
  const remap = remaps.get(staged.component);
  for (const file of staged.files) {
    const decoded = decodeDocumentId(file.id)!;
    const number = remap?.get(decoded.tableNumber);
    const id = number === undefined ? file.id : encodeDocumentId(number, decoded.internalId);
    // Fields as insertStoredFile (fileStorage/storedFiles.ts) writes them.
    const doc: Document = { _id: id, _creationTime: file.creationTime ?? now(), sha256: file.sha256.toString("base64"), size: file.size };
    if (file.contentType) doc.contentType = file.contentType;
    try {
      insertImported(tx, table, id, doc, JSON.stringify(doc));
      linkImportedFile(tx, staged.component, id, file.key);
    } catch (error) {
      if ((error as { code?: string }).code?.startsWith("SQLITE_CONSTRAINT")) {
        throw new ImportError("DuplicateId", `Objects in table "${STORAGE_TABLE}" have duplicate _id fields (${id} already exists)`);
      }
      throw error;
    }
  }
  return staged.files.length;
}
