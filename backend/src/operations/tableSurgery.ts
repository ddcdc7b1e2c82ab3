// Catalog changes only a snapshot import needs: emptying a table, and
// (re)creating a table under a given table number so that imported `_id`s,
// which encode their table's number, stay valid. Runs inside the import's
// write transaction (LocalEngine.writeExclusive).

import { documentKey, Transaction, type Document } from "../database/transaction.js";
import { BY_CREATION_TIME, BY_ID, type IndexInfo, type TableInfo } from "../storage/catalog.js";
import { jsonToConvex } from "convex/values";

/** User tables are numbered from here up, as in Convex (storage/catalog.ts). */
const FIRST_USER_TABLE_NUMBER = 10001;

/** Deletes every document of `table` (and its index entries); returns how many. */
export function clearTable(tx: Transaction, table: TableInfo): number {
  const db = tx.store.db;
  const byId = table.indexes.get(BY_ID);
  if (!byId) return 0;
  // Layers that index documents elsewhere (search) must hear of each delete.
  if (Transaction.writeObservers.length > 0) {
    const rows = db
      .prepare("SELECT d.rowid AS rowid, d.json AS json FROM index_entries e JOIN documents d ON d.rowid = e.doc WHERE e.index_id = ?")
      .all(byId.id) as { rowid: number; json: string }[];
    for (const row of rows) {
      const old = jsonToConvex(JSON.parse(row.json)) as Document;
      for (const observe of Transaction.writeObservers) observe(tx, table, row.rowid, old, null);
    }
  }
  const deleted = db.prepare("DELETE FROM documents WHERE rowid IN (SELECT doc FROM index_entries WHERE index_id = ?)").run(byId.id).changes;
  const clearEntries = db.prepare("DELETE FROM index_entries WHERE index_id = ?");
  for (const index of table.indexes.values()) clearEntries.run(index.id);
  return deleted;
}

/** A free number below the user range, for a system table (`_storage`) an import could not give its own. */
export function freeSystemTableNumber(tx: Transaction): number {
  const highest = tx.store.db.prepare("SELECT MAX(table_number) FROM tables WHERE table_number < ?").pluck().get(FIRST_USER_TABLE_NUMBER) as number | null;
  const number = (highest ?? 0) + 1;
  if (number >= FIRST_USER_TABLE_NUMBER) throw new Error("No free system table number is left.");
  return number;
}

export function freeTableNumber(tx: Transaction): number {
  const highest = tx.store.db.prepare("SELECT MAX(table_number) FROM tables").pluck().get() as number | null;
  return Math.max(FIRST_USER_TABLE_NUMBER, (highest ?? 0) + 1);
}

/**
 * Creates `component`/`name` with table number `number`, with the built-in
 * indexes plus `indexes` (the definitions of a table it replaces). The caller
 * makes sure the number and the name are free.
 */
export function createTableNumbered(tx: Transaction, component: string, name: string, number: number, indexes: IndexInfo[] = []): TableInfo {
  const db = tx.store.db;
  db.prepare("INSERT INTO tables (table_number, component, name) VALUES (?, ?, ?)").run(number, component, name);
  tx.catalog.reload(db);
  const table = tx.catalog.tableByNumber(number)!;
  tx.catalog.createIndex(db, table, BY_ID, ["_id"]);
  tx.catalog.createIndex(db, table, BY_CREATION_TIME, ["_creationTime"]);
  for (const index of indexes) {
    if (index.name !== BY_ID && index.name !== BY_CREATION_TIME) tx.catalog.createIndex(db, table, index.name, index.fields);
  }
  tx.catalogChanged = true;
  return table;
}

/** Removes `table` with its documents and indexes; returns its index definitions. */
export function dropTable(tx: Transaction, table: TableInfo): IndexInfo[] {
  const db = tx.store.db;
  const indexes = [...table.indexes.values()];
  clearTable(tx, table);
  db.prepare("DELETE FROM indexes WHERE table_number = ?").run(table.number);
  db.prepare("DELETE FROM tables WHERE table_number = ?").run(table.number);
  tx.catalog.reload(db);
  tx.catalogChanged = true;
  return indexes;
}

/** Writes one imported document (already checked) with all its index entries. */
export function insertImported(tx: Transaction, table: TableInfo, id: string, doc: Document, json: string): void {
  const rowid = tx.store.insert(id, table.number, json, tx.ts);
  for (const index of table.indexes.values()) tx.store.insertEntry(index.id, documentKey(doc, index), rowid);
  for (const observe of Transaction.writeObservers) observe(tx, table, rowid, null, doc);
}
