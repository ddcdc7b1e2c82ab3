// Applying a pushed schema's search indexes, inside the deploy's transaction:
// an FTS5 table is created and backfilled for each new or changed search
// index and dropped for each removed one. `search_tables` remembers which
// physical tables exist and the definition each was built for.
import type { MigrationReport } from "../database/schemaMigration.js";
import type { SearchIndexSchema, TableSchema } from "../database/schema.js";
import { forEachDocument } from "../database/tableScan.js";
import type { Transaction } from "../database/transaction.js";
import type { TableInfo } from "../storage/catalog.js";
import { createSearchTable, dropSearchTable, ftsTableName, indexDocument, installSearchIndexMaintenance } from "./searchIndexes.js";

// Every engine that can migrate a schema must also keep search indexes in step.
installSearchIndexMaintenance();


function ensureRegistry(tx: Transaction): void {
  tx.store.db.exec(
    "CREATE TABLE IF NOT EXISTS search_tables (name TEXT PRIMARY KEY, table_number INTEGER NOT NULL, index_name TEXT NOT NULL, definition TEXT NOT NULL)",
  );
}

function definitionOf(index: SearchIndexSchema): string {
  // `layout` names the FTS5 table's shape: bumping it rebuilds existing search tables.
  return JSON.stringify({ searchField: index.searchField, filterFields: index.filterFields, layout: 2 });
}

function backfill(tx: Transaction, table: TableInfo, index: SearchIndexSchema): void {
  forEachDocument(tx.store, table, ({ doc, rowid }) => indexDocument(tx.store.db, table, index, rowid, doc));
}

/** Brings the component's physical search tables in line with `declared` (table name → schema). */
export function applySearchIndexes(tx: Transaction, component: string, declared: Map<string, TableSchema>, report: MigrationReport): void {
  ensureRegistry(tx);
  const db = tx.store.db;
  const existingOf = db.prepare("SELECT name, index_name AS indexName, definition FROM search_tables WHERE table_number = ?");
  for (const table of tx.catalog.tablesOf(component)) {
    if (table.name.startsWith("_")) continue;
    const wanted = new Map((declared.get(table.name)?.searchIndexes ?? []).map((i) => [i.indexDescriptor, i]));
    const existing = existingOf.all(table.number) as { name: string; indexName: string; definition: string }[];
    for (const row of existing) {
      const index = wanted.get(row.indexName);
      if (index && definitionOf(index) === row.definition) {
        wanted.delete(row.indexName);
        continue;
      }
      dropSearchTable(db, row.name);
      db.prepare("DELETE FROM search_tables WHERE name = ?").run(row.name);
      report.indexesRemoved.push(`${table.name}.${row.indexName}`);
      tx.catalogChanged = true;
    }
    for (const index of wanted.values()) {
      const name = ftsTableName(table, index.indexDescriptor);
      createSearchTable(db, table, index.indexDescriptor);
      db.prepare("INSERT INTO search_tables (name, table_number, index_name, definition) VALUES (?, ?, ?, ?)").run(
        name,
        table.number,
        index.indexDescriptor,
        definitionOf(index),
      );
      backfill(tx, table, index);
      report.indexesAdded.push(`${table.name}.${index.indexDescriptor}`);
      tx.catalogChanged = true;
    }
  }
}
