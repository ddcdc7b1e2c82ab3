// A transaction over one SQLite connection. Reads record the index ranges they
// cover; writes go straight to SQLite (the writer holds BEGIN IMMEDIATE), keep
// every index in step and record the keys they touch. Nested mutations are
// savepoints. Documents travel as Convex-encoded JSON text, parsed only where a
// filter, an index key or a validator needs the values.
import { convexToJson, jsonToConvex, type Value } from "convex/values";
import type { Catalog, IndexInfo, TableInfo } from "../storage/catalog.js";
import { BY_CREATION_TIME, BY_ID, indexKeyFields } from "../storage/catalog.js";
import type { DocumentStore, KeyRange, StoredDocument } from "../storage/documentStore.js";
import { decodeDocumentId, encodeDocumentId, newInternalId } from "../values/ids.js";
import { encodeIndexKey } from "../values/indexKey.js";
import { fieldValue } from "./filterExpression.js";
import { IndexReadSet, IndexWriteSet } from "./readWriteSets.js";
import type { SchemaRegistry } from "./schema.js";
import { TransactionLimits } from "./transactionLimits.js";
import { checkDocument } from "./documentChecks.js";
import { DatabaseError } from "./errors.js";

export { DatabaseError };

export type Document = Record<string, Value>;

/** Hands out `_creationTime`s: milliseconds, strictly increasing across the process. */
export class CreationClock {
  private last = 0;
  private readonly realNow = Date.now.bind(Date);

  next(): number {
    const now = this.realNow();
    // 1/1024 ms keeps successive values distinct in a float64 near 2^41 ms.
    this.last = now > this.last ? now : this.last + 1 / 1024;
    return this.last;
  }
}

export interface TransactionDeps {
  store: DocumentStore;
  catalog: Catalog;
  schemas: SchemaRegistry;
  clock: CreationClock;
}

export function documentKey(doc: Document, index: IndexInfo): Buffer {
  return encodeIndexKey(indexKeyFields(index).map((field) => fieldValue(doc, field)));
}

/**
 * Sees every document write inside the transaction, after the row and its
 * indexes are written (search indexes keep themselves in step through this;
 * see search/searchIndexMaintenance.ts). `old`/`next` are null for an insert/delete.
 */
export type DocumentWriteObserver = (tx: Transaction, table: TableInfo, rowid: number, old: Document | null, next: Document | null) => void;

export class Transaction {
  /** Installed once per process by the layers that index documents (search). */
  static readonly writeObservers: DocumentWriteObserver[] = [];

  readonly readSet = new IndexReadSet();
  readonly writeSet = new IndexWriteSet();
  readonly limits = new TransactionLimits();
  private savepoints: { name: string; writeMark: Map<number, number>; catalogChanged: boolean }[] = [];
  private savepointCounter = 0;
  /** True once this transaction created a table or index: a rollback must reload the catalog. */
  catalogChanged = false;

  constructor(
    private readonly deps: TransactionDeps,
    readonly mode: "read" | "write",
    /** The snapshot read (queries) or the timestamp this write will commit at. */
    readonly ts: bigint,
  ) {}

  get store(): DocumentStore {
    return this.deps.store;
  }

  get catalog(): Catalog {
    return this.deps.catalog;
  }

  get schemas(): SchemaRegistry {
    return this.deps.schemas;
  }

  private notifyWrite(table: TableInfo, rowid: number, old: Document | null, next: Document | null): void {
    for (const observe of Transaction.writeObservers) observe(this, table, rowid, old, next);
  }

  // ---- reads ---------------------------------------------------------------

  /** Resolves an id to its table in `component`; null when it is not a document id of that component. */
  tableOfId(component: string, id: string): TableInfo | null {
    const decoded = decodeDocumentId(id);
    if (!decoded) return null;
    const table = this.deps.catalog.tableByNumber(decoded.tableNumber);
    if (!table || table.component !== component) return null;
    return table;
  }

  tableNameOfId = (component: string, id: string): string | null => this.tableOfId(component, id)?.name ?? null;

  /** `db.get`: the document's JSON text or null. Records the read of that id. */
  get(component: string, id: string, options: { isSystem: boolean; table?: string }): string | null {
    const table = this.tableOfId(component, id);
    if (!table) {
      if (options.table !== undefined && !decodeDocumentId(id)) {
        throw new DatabaseError(`Invalid argument \`id\` for \`db.get\`: Unable to decode ID: ${JSON.stringify(id)} is not a valid ID`);
      }
      return null;
    }
    if (options.table !== undefined && options.table !== table.name) {
      throw new DatabaseError(
        `Invalid argument \`id\` for \`db.get\`: the id ${JSON.stringify(id)} is an ID of table "${table.name}", not "${options.table}"`,
      );
    }
    if (table.name.startsWith("_") !== options.isSystem) {
      if (options.isSystem) return null;
      throw new DatabaseError(`System tables can only be accessed from \`db.system\`. Use \`ctx.db.system.get\` to read ${table.name}.`);
    }
    const index = table.indexes.get(BY_ID)!;
    const key = encodeIndexKey([id]);
    this.readSet.add({ indexId: index.id, low: key, high: Buffer.concat([key, Buffer.from([0])]) });
    const stored = this.deps.store.get(id);
    if (!stored) return null;
    this.limits.recordRead(stored.json.length);
    return stored.json;
  }

  normalizeId(component: string, tableName: string, idString: string): string | null {
    const table = this.tableOfId(component, idString);
    if (table) return table.name === tableName ? idString : null;
    // An id of a table that has no documents yet is still a valid id of it.
    const decoded = decodeDocumentId(idString);
    if (!decoded) return null;
    const named = this.deps.catalog.table(component, tableName);
    return named && named.number === decoded.tableNumber ? idString : null;
  }

  count(component: string, tableName: string): number {
    const table = this.deps.catalog.table(component, tableName);
    if (!table) return 0;
    const index = table.indexes.get(BY_CREATION_TIME)!;
    this.readSet.add({ indexId: index.id, low: Buffer.alloc(0), high: null });
    return this.deps.store.count(index.id);
  }

  private readonly finalizers: (() => void)[] = [];

  /** Registers work that completes the read set once the function has finished reading. */
  onFinalize(finalizer: () => void): void {
    this.finalizers.push(finalizer);
  }

  /** Completes the read set; call before the read transaction ends (it may read keys at this snapshot). */
  finalizeReads(): void {
    for (const finalizer of this.finalizers.splice(0)) finalizer();
  }

  /** Records that the range was read; returns the live range object so a stream can widen it as it goes. */
  recordRange(range: KeyRange): KeyRange {
    const recorded = { ...range };
    this.readSet.add(recorded);
    return recorded;
  }

  // ---- writes --------------------------------------------------------------

  private requireWrite(): void {
    if (this.mode !== "write") throw new DatabaseError("Database writes are only allowed in mutations.");
  }

  private tableForWrite(component: string, tableName: string): TableInfo {
    const existing = this.deps.catalog.table(component, tableName);
    if (existing) return existing;
    this.catalogChanged = true;
    return this.deps.catalog.createTable(this.deps.store.db, component, tableName);
  }

  insert(component: string, tableName: string, valueJson: unknown): string {
    this.requireWrite();
    const value = jsonToConvex(valueJson as never);
    if (value === null || typeof value !== "object" || Array.isArray(value) || value instanceof ArrayBuffer) {
      throw new DatabaseError(`Invalid argument \`value\` for \`db.insert\`: expected an object, got ${JSON.stringify(valueJson)}`);
    }
    const table = this.tableForWrite(component, tableName);
    const id = encodeDocumentId(table.number, newInternalId());
    const doc: Document = { _id: id, _creationTime: this.deps.clock.next(), ...(value as Document) };
    for (const field of ["_id", "_creationTime"]) {
      if (field in (value as Document)) {
        throw new DatabaseError(`Provided document contains the system field \`${field}\`; system fields are set by Convex.`);
      }
    }
    const json = this.checkAndSerialize(component, table, doc);
    this.storeNew(table, doc, json);
    this.limits.recordWrite(json.length);
    return id;
  }

  /** Stores a new document with its index entries, recording every key written. */
  private storeNew(table: TableInfo, doc: Document, json: string): void {
    const rowid = this.deps.store.insert(doc._id as string, table.number, json, this.ts);
    for (const index of table.indexes.values()) {
      const key = documentKey(doc, index);
      this.deps.store.insertEntry(index.id, key, rowid);
      this.writeSet.add(index.id, key);
    }
    this.notifyWrite(table, rowid, null, doc);
  }

  /** Erases a stored document with its index entries, recording every key removed. */
  private erase(table: TableInfo, stored: StoredDocument): void {
    const old = jsonToConvex(JSON.parse(stored.json)) as Document;
    for (const index of table.indexes.values()) {
      const key = documentKey(old, index);
      this.deps.store.deleteEntry(index.id, key);
      this.writeSet.add(index.id, key);
    }
    this.deps.store.delete(stored.rowid);
    this.notifyWrite(table, stored.rowid, old, null);
  }

  private existingForWrite(component: string, id: string, operation: string, tableName?: string): { table: TableInfo; stored: StoredDocument } {
    this.requireWrite();
    const table = this.tableOfId(component, id);
    if (!table) {
      throw new DatabaseError(`Invalid argument \`id\` for \`db.${operation}\`: ${JSON.stringify(id)} is not a valid ID of a table in this deployment`);
    }
    if (tableName !== undefined && tableName !== table.name) {
      throw new DatabaseError(`Invalid argument \`id\` for \`db.${operation}\`: the id is an ID of table "${table.name}", not "${tableName}"`);
    }
    if (table.name.startsWith("_")) {
      throw new DatabaseError("System tables (prefixed with `_`) are read-only.");
    }
    const stored = this.deps.store.get(id);
    if (!stored) throw new DatabaseError(`Delete on nonexistent document ID ${id}`.replace("Delete", operation === "delete" ? "Delete" : "Update"));
    this.limits.recordRead(stored.json.length);
    return { table, stored };
  }

  patch(component: string, id: string, patchJson: Record<string, unknown>, tableName?: string): void {
    const { table, stored } = this.existingForWrite(component, id, "patch", tableName);
    const old = jsonToConvex(JSON.parse(stored.json)) as Document;
    const next: Document = { ...old };
    for (const [field, raw] of Object.entries(patchJson)) {
      const isUndefined = raw !== null && typeof raw === "object" && "$undefined" in (raw as object);
      if (field === "_id" || field === "_creationTime") {
        if (!isUndefined && JSON.stringify(raw) === JSON.stringify(convexToJson(old[field]))) continue;
        throw new DatabaseError(`Provided document contains the system field \`${field}\` with a different value; system fields cannot be changed.`);
      }
      if (isUndefined) delete next[field];
      else next[field] = jsonToConvex(raw as never);
    }
    this.rewrite(component, table, stored, old, next);
  }

  replace(component: string, id: string, valueJson: unknown, tableName?: string): void {
    const { table, stored } = this.existingForWrite(component, id, "replace", tableName);
    const old = jsonToConvex(JSON.parse(stored.json)) as Document;
    const value = jsonToConvex(valueJson as never) as Document;
    for (const field of ["_id", "_creationTime"] as const) {
      if (field in value && JSON.stringify(convexToJson(value[field])) !== JSON.stringify(convexToJson(old[field]))) {
        throw new DatabaseError(`Provided document contains the system field \`${field}\` with a different value; system fields cannot be changed.`);
      }
    }
    this.rewrite(component, table, stored, old, { ...value, _id: old._id, _creationTime: old._creationTime });
  }

  remove(component: string, id: string, tableName?: string): void {
    const { table, stored } = this.existingForWrite(component, id, "delete", tableName);
    this.erase(table, stored);
    this.limits.recordWrite(stored.json.length);
  }

  /** Deletes a system-table document on behalf of the backend (file storage). */
  removeSystem(component: string, id: string): void {
    this.requireWrite();
    const table = this.tableOfId(component, id);
    const stored = this.deps.store.get(id);
    if (!table || !stored) throw new DatabaseError(`No system document ${id}`);
    this.erase(table, stored);
  }

  /** Writes a system-table document on behalf of the backend (scheduler, storage). */
  insertSystem(component: string, tableName: string, doc: Omit<Document, "_id" | "_creationTime">): string {
    this.requireWrite();
    const table = this.tableForWrite(component, tableName);
    const id = encodeDocumentId(table.number, newInternalId());
    const full: Document = { _id: id, _creationTime: this.deps.clock.next(), ...doc };
    this.storeNew(table, full, JSON.stringify(convexToJson(full)));
    return id;
  }

  /** Replaces a system-table document on behalf of the backend. */
  replaceSystem(component: string, id: string, next: Document): void {
    this.requireWrite();
    const table = this.tableOfId(component, id);
    const stored = this.deps.store.get(id);
    if (!table || !stored) throw new DatabaseError(`No system document ${id}`);
    const old = jsonToConvex(JSON.parse(stored.json)) as Document;
    this.rewriteUnchecked(table, stored, old, { ...next, _id: old._id, _creationTime: old._creationTime });
  }

  private rewrite(component: string, table: TableInfo, stored: StoredDocument, old: Document, next: Document): void {
    this.checkAndSerialize(component, table, next);
    this.rewriteUnchecked(table, stored, old, next);
  }

  private rewriteUnchecked(table: TableInfo, stored: StoredDocument, old: Document, next: Document): void {
    const json = JSON.stringify(convexToJson(next));
    this.deps.store.update(stored.rowid, json, this.ts);
    // Every index is touched even when its key is unchanged: subscribers to
    // that range returned the old content and must see the new.
    for (const index of table.indexes.values()) {
      const oldKey = documentKey(old, index);
      const newKey = documentKey(next, index);
      if (!oldKey.equals(newKey)) {
        this.deps.store.deleteEntry(index.id, oldKey);
        this.deps.store.insertEntry(index.id, newKey, stored.rowid);
        this.writeSet.add(index.id, newKey);
      }
      this.writeSet.add(index.id, oldKey);
    }
    this.notifyWrite(table, stored.rowid, old, next);
    this.limits.recordWrite(json.length);
  }

  private checkAndSerialize(component: string, table: TableInfo, doc: Document): string {
    checkDocument(doc, {
      tableName: table.name,
      schema: this.deps.schemas.validatedTable(component, table.name),
      tableNameOfId: (id) => this.tableNameOfId(component, id),
    });
    return JSON.stringify(convexToJson(doc));
  }

  // ---- savepoints (nested mutations) ----------------------------------------

  savepoint(): number {
    this.requireWrite();
    const name = `sp${++this.savepointCounter}`;
    this.deps.store.db.exec(`SAVEPOINT ${name}`);
    this.savepoints.push({ name, writeMark: this.writeSet.mark(), catalogChanged: this.catalogChanged });
    return this.savepoints.length;
  }

  releaseSavepoint(depth: number): void {
    const sp = this.savepoints[depth - 1];
    this.deps.store.db.exec(`RELEASE ${sp.name}`);
    this.savepoints.length = depth - 1;
  }

  rollbackSavepoint(depth: number): void {
    const sp = this.savepoints[depth - 1];
    this.deps.store.db.exec(`ROLLBACK TO ${sp.name}`);
    this.deps.store.db.exec(`RELEASE ${sp.name}`);
    this.writeSet.rollbackTo(sp.writeMark);
    if (this.catalogChanged && !sp.catalogChanged) {
      this.deps.catalog.reload(this.deps.store.db);
      this.catalogChanged = sp.catalogChanged;
    }
    this.savepoints.length = depth - 1;
  }
}
