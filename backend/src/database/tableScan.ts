// Visiting every document of a table in creation order, a batch at a time, so
// migrations, backfills and brute-force searches never load a table at once.
import { jsonToConvex, type Value } from "convex/values";
import { BY_CREATION_TIME, type TableInfo } from "../storage/catalog.js";
import type { DocumentStore } from "../storage/documentStore.js";

const BATCH = 1000;

export interface ScannedDocument {
  doc: Record<string, Value>;
  id: string;
  rowid: number;
}

export function forEachDocument(store: DocumentStore, table: TableInfo, visit: (scanned: ScannedDocument) => void): void {
  const index = table.indexes.get(BY_CREATION_TIME)!;
  let low = Buffer.alloc(0);
  for (;;) {
    const rows = store.scan({ indexId: index.id, low, high: null }, "asc", BATCH);
    for (const row of rows) visit({ doc: jsonToConvex(JSON.parse(row.json)) as Record<string, Value>, id: row.id, rowid: row.rowid });
    if (rows.length < BATCH) return;
    low = Buffer.concat([rows[rows.length - 1].key, Buffer.from([0])]);
  }
}
