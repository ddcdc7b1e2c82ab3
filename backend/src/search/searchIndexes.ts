// Search indexes in SQLite: one FTS5 table per (table, search index), rows
// keyed by the document's rowid, holding the folded search text and one token
// per filter-field value so `eq` filters are applied inside FTS5. The table is
// contentless (the document row already holds the text) and written in the
// same SQLite transaction as the document, so commits, rollbacks and
// savepoints (nested mutations) keep both in step.
import { createHash } from "node:crypto";
import type Database from "better-sqlite3";
import type { Value } from "convex/values";
import { fieldValue } from "../database/filterExpression.js";
import type { SearchIndexSchema } from "../database/schema.js";
import { Transaction, type Document } from "../database/transaction.js";
import type { TableInfo } from "../storage/catalog.js";
import type { Connection } from "../storage/sqlite.js";
import { encodeIndexKey, encodeValueKey } from "../values/indexKey.js";
import { indexedText } from "./tokenizer.js";

type Statement = Database.Statement<unknown[], unknown>;

export function ftsTableName(table: TableInfo, indexName: string): string {
  return `search_${table.number}_${indexName}`;
}

function quoted(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Read and write sets know indexes by number. A table's search indexes share
 * the pseudo index number -tableNumber (real index ids are positive); keys
 * are (index name, value of the first filter field), so a search filtered on
 * that field is only invalidated by writes of documents with that value.
 */
export function searchPseudoIndexId(table: TableInfo): number {
  return -table.number;
}

export function searchPseudoKey(index: SearchIndexSchema, firstFilterValue: Value | undefined): Buffer {
  return index.filterFields.length === 0
    ? encodeIndexKey([index.indexDescriptor])
    : encodeIndexKey([index.indexDescriptor, firstFilterValue]);
}

/** The token that stands for "filter field i has this value". */
export function filterToken(position: number, value: Value | undefined): string {
  return `f${position}x${createHash("sha256").update(encodeValueKey(value)).digest("hex").slice(0, 24)}`;
}

function filterTokens(index: SearchIndexSchema, doc: Document): string {
  return index.filterFields.map((field, i) => filterToken(i, fieldValue(doc, field))).join(" ");
}

export function searchIndexesOf(tx: Transaction, table: TableInfo): SearchIndexSchema[] {
  if (table.name.startsWith("_")) return [];
  return tx.schemas.table(table.component, table.name)?.searchIndexes ?? [];
}

// ---- DDL (schema pushes) ------------------------------------------------------

export function createSearchTable(db: Connection, table: TableInfo, indexName: string): void {
  const name = quoted(ftsTableName(table, indexName));
  db.exec(
    `CREATE VIRTUAL TABLE IF NOT EXISTS ${name} USING fts5(body, filters, content='', contentless_delete=1, ` +
      // Prefix indexes make search-as-you-type (a short last term) cheap.
      // detail=column: no positions (no phrase queries are run), a smaller index, faster ranking.
      `tokenize='unicode61 remove_diacritics 2', prefix='1 2 3', detail=column)`,
  );
  // Rank by BM25 on the text only: the filter tokens must not move scores.
  db.prepare(`INSERT INTO ${name}(${name}, rank) VALUES ('rank', 'bm25(1.0, 0.0)')`).run();
  statementCache.delete(db);
}

export function dropSearchTable(db: Connection, tableName: string): void {
  db.exec(`DROP TABLE IF EXISTS ${quoted(tableName)}`);
  statementCache.delete(db);
}

// ---- row maintenance -------------------------------------------------------------

const statementCache = new WeakMap<Connection, Map<string, { insert: Statement; remove: Statement }>>();

function statements(db: Connection, ftsName: string): { insert: Statement; remove: Statement } {
  let perDb = statementCache.get(db);
  if (!perDb) statementCache.set(db, (perDb = new Map()));
  let found = perDb.get(ftsName);
  if (!found) {
    const name = quoted(ftsName);
    found = {
      insert: db.prepare(`INSERT INTO ${name} (rowid, body, filters) VALUES (?, ?, ?)`),
      remove: db.prepare(`DELETE FROM ${name} WHERE rowid = ?`),
    };
    perDb.set(ftsName, found);
  }
  return found;
}

export function indexDocument(db: Connection, table: TableInfo, index: SearchIndexSchema, rowid: number, doc: Document): void {
  const text = fieldValue(doc, index.searchField);
  // Convex indexes only string values of the search field; others never match.
  if (typeof text !== "string") return;
  statements(db, ftsTableName(table, index.indexDescriptor)).insert.run(rowid, indexedText(text), filterTokens(index, doc));
}

function onDocumentWrite(tx: Transaction, table: TableInfo, rowid: number, old: Document | null, next: Document | null): void {
  const indexes = searchIndexesOf(tx, table);
  if (indexes.length === 0) return;
  const db = tx.store.db;
  for (const index of indexes) {
    const ftsName = ftsTableName(table, index.indexDescriptor);
    if (old) statements(db, ftsName).remove.run(rowid);
    if (next) indexDocument(db, table, index, rowid, next);
    const pseudo = searchPseudoIndexId(table);
    const first = index.filterFields[0];
    if (old) tx.writeSet.add(pseudo, searchPseudoKey(index, first === undefined ? undefined : fieldValue(old, first)));
    if (next) tx.writeSet.add(pseudo, searchPseudoKey(index, first === undefined ? undefined : fieldValue(next, first)));
  }
}

let installed = false;
/** Keeps every search index in step with document writes; idempotent. */
export function installSearchIndexMaintenance(): void {
  if (installed) return;
  installed = true;
  Transaction.writeObservers.push(onDocumentWrite);
}
