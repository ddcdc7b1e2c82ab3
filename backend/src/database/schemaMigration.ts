// Applying a pushed schema to the stored data, inside the writer's transaction:
// new or changed indexes are created and backfilled, removed ones dropped, and
// when a table's document type changed every existing document is checked.
// A document that no longer fits refuses the whole push, naming it.
import { BY_CREATION_TIME, BY_ID, type TableInfo } from "../storage/catalog.js";
import { checkDocument, SchemaValidationError } from "./documentChecks.js";
import { forEachDocument } from "./tableScan.js";
import type { DatabaseSchema, TableSchema } from "./schema.js";
import { documentKey, type Transaction } from "./transaction.js";
import { applySearchIndexes } from "../search/searchMigration.js";

function sameFields(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((field, i) => field === b[i]);
}

export interface MigrationReport {
  indexesAdded: string[];
  indexesRemoved: string[];
  documentsChecked: number;
}

export function applySchema(
  tx: Transaction,
  component: string,
  schema: DatabaseSchema | null,
  previous: DatabaseSchema | null,
): MigrationReport {
  const report: MigrationReport = { indexesAdded: [], indexesRemoved: [], documentsChecked: 0 };
  const store = tx.store;
  const catalog = tx.catalog;
  const previousTables = new Map((previous?.tables ?? []).map((t) => [t.tableName, t]));
  const declared = new Map((schema?.tables ?? []).map((t) => [t.tableName, t]));

  for (const tableSchema of declared.values()) {
    let table = catalog.table(component, tableSchema.tableName);
    if (!table) {
      table = catalog.createTable(store.db, component, tableSchema.tableName);
      tx.catalogChanged = true;
    }
    syncIndexes(tx, table, tableSchema, report);
    const before = previousTables.get(tableSchema.tableName);
    const typeChanged = !before || JSON.stringify(before.documentType) !== JSON.stringify(tableSchema.documentType);
    const validationTurnedOn = schema!.schemaValidation && !(previous?.schemaValidation ?? false);
    if (schema!.schemaValidation && (typeChanged || validationTurnedOn)) {
      forEachDocument(store, table, ({ doc, id }) => {
        report.documentsChecked++;
        try {
          checkDocument(doc, {
            tableName: table!.name,
            schema: tableSchema,
            tableNameOfId: (other) => tx.tableNameOfId(component, other),
          });
        } catch (error) {
          throw new SchemaValidationError(
            `Schema validation failed.\nDocument with ID "${id}" in table "${table!.name}" does not match the schema: ${(error as Error).message}`,
          );
        }
      });
    }
  }

  // Indexes of tables the schema no longer declares are dropped; their data stays.
  for (const table of catalog.tablesOf(component)) {
    if (declared.has(table.name) || table.name.startsWith("_")) continue;
    for (const index of [...table.indexes.values()]) {
      if (index.name === BY_ID || index.name === BY_CREATION_TIME) continue;
      catalog.dropIndex(store.db, table, index.name);
      report.indexesRemoved.push(`${table.name}.${index.name}`);
      tx.catalogChanged = true;
    }
  }
  // Search indexes live in their own FTS5 tables (search/searchMigration.ts).
  applySearchIndexes(tx, component, declared, report);
  return report;
}

function syncIndexes(tx: Transaction, table: TableInfo, tableSchema: TableSchema, report: MigrationReport): void {
  const store = tx.store;
  const catalog = tx.catalog;
  const wanted = new Map(tableSchema.indexes.map((i) => [i.indexDescriptor, i.fields]));
  for (const index of [...table.indexes.values()]) {
    if (index.name === BY_ID || index.name === BY_CREATION_TIME) continue;
    const fields = wanted.get(index.name);
    if (!fields || !sameFields(fields, index.fields)) {
      catalog.dropIndex(store.db, table, index.name);
      report.indexesRemoved.push(`${table.name}.${index.name}`);
      tx.catalogChanged = true;
    }
  }
  for (const [name, fields] of wanted) {
    if (table.indexes.has(name)) continue;
    const index = catalog.createIndex(store.db, table, name, fields);
    tx.catalogChanged = true;
    report.indexesAdded.push(`${table.name}.${name}`);
    forEachDocument(store, table, ({ doc, rowid }) => store.insertEntry(index.id, documentKey(doc, index), rowid));
  }
}
