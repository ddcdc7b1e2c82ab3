// Applies an import with Convex's semantics
// (convex-backend `crates/application/src/snapshot_import/`):
//   requireEmpty (default)  refuse when a table being imported has documents
//   append                  add to the existing tables
//   replace                 the imported tables are replaced by the import
//   replaceAll              also empties every user table the import lacks
// `_id` and `_creationTime` are kept. Ids encode their table's number, so a
// table is (re)created under the number the snapshot's `_tables` gives (or
// the first document's id shows). Our table numbers are global while Convex's
// are per component: when a number is already taken by another table, the
// table gets a free number and the ids of that component's documents (and
// references to them inside its documents) are re-encoded with it.
// A `_id` that is no Convex id at all (convex-test's ids) gets a fresh id;
// later documents of the import that mention the old string get the new one.
// Everything is one write transaction: an import applies whole or not at all.
// File storage (`_storage`) is staged into the blob store first and written in
// the same transaction (storageImport.ts).

import { jsonToConvex, type Value } from "convex/values";
import { checkDocument } from "../database/documentChecks.js";
import type { Document, Transaction } from "../database/transaction.js";
import type { LocalEngine } from "../engine/localEngine.js";
import type { BlobStore } from "../fileStorage/blobStore.js";
import type { IndexInfo, TableInfo } from "../storage/catalog.js";
import { decodeDocumentId, encodeDocumentId, newInternalId } from "../values/ids.js";
import { ImportError, type Encoded, type ImportSources, type ImportTable } from "./importSources.js";
import { insertStoredFiles, prepareStorageTable, stageStorage, STORAGE_TABLE, type PreparedStorage } from "./storageImport.js";
import { clearTable, createTableNumbered, dropTable, freeTableNumber, insertImported } from "./tableSurgery.js";

export type ImportMode = "requireEmpty" | "append" | "replace" | "replaceAll";

export function parseImportMode(mode: unknown): ImportMode {
  if (mode === undefined || mode === null) return "requireEmpty";
  if (mode === "requireEmpty" || mode === "append" || mode === "replace" || mode === "replaceAll") return mode;
  throw new ImportError("InvalidImportMode", `Unknown import mode ${JSON.stringify(mode)}`);
}

function tableExists(table: string): ImportError {
  return new ImportError("TableExists", `Table ${table} already exists. Please choose a new table name or use replace/append modes.`);
}

const where = (component: string) => (component === "" ? "" : ` (component ${component})`);

export interface ImportPlanSummary {
  message: string;
  requireManualConfirmation: boolean;
  documents: number;
}

/** What the import will do, shown by the CLI before it asks to go ahead; refuses early like Convex. */
export async function summarizeImport(engine: LocalEngine, sources: ImportSources, mode: ImportMode, canStoreFiles = true): Promise<ImportPlanSummary> {
  const lines: string[] = [];
  let deletes = 0;
  let documents = 0;
  for (const table of sources.tables) {
    const added = await table.count();
    const existing = engine.countDocuments(table.component, table.table);
    if (mode === "requireEmpty" && existing > 0) throw tableExists(table.table);
    const deleted = mode === "replace" || mode === "replaceAll" ? existing : 0;
    deletes += deleted;
    documents += added;
    lines.push(`${table.table}${where(table.component)} | ${existing === 0 && deleted === 0 ? "create" : deleted > 0 ? "replace" : "append"} | +${added} | -${deleted}`);
  }
  if (canStoreFiles) {
    for (const storage of sources.storage) {
      const added = await storage.count();
      const existing = engine.countDocuments(storage.component, STORAGE_TABLE);
      if (mode === "requireEmpty" && existing > 0) throw tableExists(STORAGE_TABLE);
      const deleted = mode === "replace" || mode === "replaceAll" ? existing : 0;
      deletes += deleted;
      lines.push(`${STORAGE_TABLE}${where(storage.component)} | ${existing === 0 && deleted === 0 ? "create" : deleted > 0 ? "replace" : "append"} | +${added} files | -${deleted} files`);
    }
  }
  if (mode === "replaceAll") {
    const imported = new Set(sources.tables.map((t) => `${t.component}\u0000${t.table}`));
    for (const component of engine.catalog.components()) {
      for (const table of engine.catalog.tablesOf(component)) {
        if (table.name.startsWith("_") || imported.has(`${component}\u0000${table.name}`)) continue;
        const existing = engine.countDocuments(component, table.name);
        deletes += existing;
        lines.push(`${table.name}${where(component)} | clear | +0 | -${existing}`);
      }
    }
  }
  const message = [
    "Import change summary:",
    "table | change | documents added | documents deleted",
    ...lines,
    ...(!canStoreFiles && sources.storage.length > 0 ? ["Note: the files in _storage are not imported: this backend runs without file storage."] : []),
    "Once the import has started, it will run in the background.\nInterrupting `npx convex import` will not cancel it.",
  ].join("\n");
  return { message, requireManualConfirmation: deletes > 0, documents };
}

/** Ids re-encoded for one component: old table number → new one. */
type NumberRemap = Map<number, number>;

export async function applyImport(
  engine: LocalEngine,
  sources: ImportSources,
  mode: ImportMode,
  blobs?: BlobStore,
): Promise<{ rowsWritten: number; ts: bigint; files: number }> {
  // File bytes go to the blob store before the transaction (they may be large); they are removed if it fails.
  const { staged, discard } = blobs ? await stageStorage(blobs, sources.storage) : { staged: [], discard: async () => {} };
  const replacedKeys: string[] = [];
  let files = 0;
  let result: { value: number; ts: bigint };
  try {
    result = await engine.writeExclusive(async (tx) => {
      const remaps = new Map<string, NumberRemap>();
      const plans: TablePlan[] = [];
      // First make room: every table the import replaces is emptied or dropped,
      // so the numbers it held are free before any table claims its number.
      for (const source of sources.tables) plans.push(await clearOrDrop(tx, source, mode));
      // File storage next: its ids are referenced from the documents, so its renumbering must be known first.
      const storage: PreparedStorage[] = staged.map((s) => prepareStorageTable(tx, s, mode, remaps, tableExists));
      // Then tables the snapshot numbers, so they get their numbers before new unnumbered ones.
      plans.sort((a, b) => Number(b.wanted !== undefined) - Number(a.wanted !== undefined));
      const targets = plans.map((plan) => ({ source: plan.source, table: plan.table ?? createTable(tx, plan, remaps) }));
      if (mode === "replaceAll") {
        const imported = new Set(targets.map((t) => t.table.number));
        for (const component of tx.catalog.components()) {
          for (const table of tx.catalog.tablesOf(component)) {
            if (!table.name.startsWith("_") && !imported.has(table.number)) clearTable(tx, table);
          }
        }
      }
      for (const prepared of storage) {
        files += insertStoredFiles(tx, prepared, remaps, () => engine.clock.next());
        replacedKeys.push(...prepared.replacedKeys);
      }
      const freshIds = new Map<string, string>();
      let rows = 0;
      for (const { source, table } of targets) {
        rows += await insertDocuments(engine, tx, source, table, remaps.get(source.component), freshIds);
      }
      return rows;
    });
  } catch (error) {
    await discard();
    throw error;
  }
  // Committed: the replaced files' blobs can go (a crash before this leaves orphans the start-up sweep removes).
  await Promise.all(replacedKeys.map((key) => blobs!.remove(key)));
  return { rowsWritten: result.value, ts: result.ts, files };
}

interface TablePlan {
  source: ImportTable;
  /** The table to write into when it is kept (append, or already under the wanted number). */
  table?: TableInfo;
  wanted?: number;
  /** Index definitions of the dropped table it replaces. */
  indexes: IndexInfo[];
}

async function firstDocumentTableNumber(source: ImportTable): Promise<number | undefined> {
  for await (const doc of source.documents()) {
    const id = doc !== null && typeof doc === "object" && !Array.isArray(doc) ? doc._id : undefined;
    return typeof id === "string" ? decodeDocumentId(id)?.tableNumber : undefined;
  }
  return undefined;
}

async function clearOrDrop(tx: Transaction, source: ImportTable, mode: ImportMode): Promise<TablePlan> {
  if (source.table.startsWith("_")) {
    throw new ImportError("InvalidTableName", `Invalid table name ${source.table} starts with metadata prefix '_'`);
  }
  if (!/^[a-zA-Z][a-zA-Z0-9_]{0,63}$/.test(source.table)) {
    throw new ImportError("InvalidTableName", `${JSON.stringify(source.table)} isn't a valid table name`);
  }
  const existing = tx.catalog.table(source.component, source.table);
  if (existing && mode === "append") return { source, table: existing, indexes: [] };
  if (existing && mode === "requireEmpty" && tx.store.count(existing.indexes.get("by_creation_time")!.id) > 0) throw tableExists(source.table);
  const wanted = source.tableNumber ?? (await firstDocumentTableNumber(source));
  if (existing && (wanted === undefined || wanted === existing.number)) {
    clearTable(tx, existing);
    return { source, table: existing, indexes: [] };
  }
  const plan: TablePlan = { source, indexes: existing ? dropTable(tx, existing) : [] };
  if (wanted !== undefined) plan.wanted = wanted;
  return plan;
}

function createTable(tx: Transaction, plan: TablePlan, remaps: Map<string, NumberRemap>): TableInfo {
  const { source, wanted } = plan;
  let number = wanted ?? freeTableNumber(tx);
  if (tx.catalog.tableByNumber(number) !== undefined) {
    number = freeTableNumber(tx);
    let remap = remaps.get(source.component);
    if (!remap) remaps.set(source.component, (remap = new Map()));
    remap.set(wanted!, number);
  }
  return createTableNumbered(tx, source.component, source.table, number, plan.indexes);
}

/**
 * System tables (`_scheduled_functions`, …) are not part of a snapshot, so an
 * imported reference to one cannot name a document here: such `v.id("_…")`
 * fields are checked as strings. Ids of user tables are still checked.
 */
function relaxSystemTableIds<T>(validator: T): T {
  if (Array.isArray(validator)) return validator.map(relaxSystemTableIds) as T;
  if (validator === null || typeof validator !== "object") return validator;
  const v = validator as Record<string, unknown>;
  if (v.type === "id" && typeof v.tableName === "string" && v.tableName.startsWith("_")) return { type: "string" } as T;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(v)) out[key] = relaxSystemTableIds(value);
  return out as T;
}

/** Re-encodes ids whose table was renumbered, and replaces ids that were given fresh ones. */
function rewriteIds(value: Encoded, remap: NumberRemap | undefined, freshIds: Map<string, string>): Encoded {
  if (typeof value === "string") {
    const fresh = freshIds.get(value);
    if (fresh !== undefined) return fresh;
    if (remap && remap.size > 0) {
      const decoded = decodeDocumentId(value);
      const number = decoded ? remap.get(decoded.tableNumber) : undefined;
      if (decoded && number !== undefined) return encodeDocumentId(number, decoded.internalId);
    }
    return value;
  }
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => rewriteIds(v, remap, freshIds));
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0]!.startsWith("$")) return value; // $integer / $bytes / $float
  const out: Record<string, Encoded> = {};
  for (const key of keys) out[key] = rewriteIds(value[key]!, remap, freshIds);
  return out;
}

async function insertDocuments(
  engine: LocalEngine,
  tx: Transaction,
  source: ImportTable,
  table: TableInfo,
  remap: NumberRemap | undefined,
  freshIds: Map<string, string>,
): Promise<number> {
  const declared = engine.schemas.validatedTable(source.component, source.table);
  const schema = declared && { ...declared, documentType: relaxSystemTableIds(declared.documentType) };
  const tableNameOfId = (id: string) => tx.tableNameOfId(source.component, id);
  const needsRewrite = () => (remap !== undefined && remap.size > 0) || freshIds.size > 0;
  let row = 0;
  for await (const raw of source.documents()) {
    row++;
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) throw new ImportError("NotAnObject", `Row ${row} wasn't an object`);
    const value = (needsRewrite() ? rewriteIds(raw, remap, freshIds) : raw) as Record<string, Encoded>;
    const { _id: givenId, _creationTime: givenTime, ...fields } = value;
    let id: string;
    const decoded = typeof givenId === "string" ? decodeDocumentId(givenId) : null;
    if (decoded) {
      if (decoded.tableNumber !== table.number) {
        throw new ImportError(
          "ImportIdMismatch",
          `Row ${row} of table "${source.table}": _id ${JSON.stringify(givenId)} is an id of table number ${decoded.tableNumber}, but "${source.table}" has number ${table.number}.`,
        );
      }
      id = givenId as string;
    } else {
      id = encodeDocumentId(table.number, newInternalId());
      if (typeof givenId === "string") freshIds.set(givenId, id);
    }
    const creationTime = typeof givenTime === "number" && Number.isFinite(givenTime) ? givenTime : engine.clock.next();
    const encoded = { _id: id, _creationTime: creationTime, ...fields };
    let doc: Document;
    try {
      doc = jsonToConvex(encoded as never) as Record<string, Value>;
      checkDocument(doc, { tableName: source.table, schema, tableNameOfId });
    } catch (error) {
      throw new ImportError("InvalidConvexValue", `Row ${row} of table "${source.table}" wasn't a valid Convex value: ${(error as Error).message}`);
    }
    try {
      insertImported(tx, table, id, doc, JSON.stringify(encoded));
    } catch (error) {
      if ((error as { code?: string }).code?.startsWith("SQLITE_CONSTRAINT")) {
        throw new ImportError("DuplicateId", `Objects in table "${source.table}" have duplicate _id fields (row ${row}: ${id} already exists)`);
      }
      throw error;
    }
  }
  return row;
}
