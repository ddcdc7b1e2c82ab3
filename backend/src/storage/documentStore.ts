// Prepared statements over one connection: documents by id, index entries,
// and ordered range scans that join an index range to its documents. Every
// range scan is an SQLite index range scan on (index_id, key); nothing here
// loads or sorts a whole table.
import type Database from "better-sqlite3";
import type { Connection } from "./sqlite.js";

export interface StoredDocument {
  rowid: number;
  id: string;
  tableNumber: number;
  /** The document as Convex-encoded JSON text, exactly as functions receive it. */
  json: string;
}

export interface ScannedEntry {
  key: Buffer;
  id: string;
  rowid: number;
  json: string;
}

export interface KeyRange {
  indexId: number;
  /** Inclusive lower bound. */
  low: Buffer;
  /** Exclusive upper bound; null = no upper bound. */
  high: Buffer | null;
}

type Statement = Database.Statement<unknown[], unknown>;

export class DocumentStore {
  private readonly getStmt: Statement;
  private readonly insertStmt: Statement;
  private readonly updateStmt: Statement;
  private readonly deleteStmt: Statement;
  private readonly insertEntryStmt: Statement;
  private readonly deleteEntryStmt: Statement;
  private readonly countStmt: Statement;
  private readonly scans: Record<string, Statement> = {};
  private readonly documentScans: Record<string, Statement> = {};
  private readonly keyAtOffsets: Record<string, Statement> = {};
  private readonly metaGetStmt: Statement;
  private readonly metaSetStmt: Statement;

  constructor(readonly db: Connection) {
    this.getStmt = db.prepare("SELECT rowid, id, table_number AS tableNumber, json FROM documents WHERE id = ?");
    this.insertStmt = db.prepare("INSERT INTO documents (id, table_number, json, ts) VALUES (?, ?, ?, ?)");
    this.updateStmt = db.prepare("UPDATE documents SET json = ?, ts = ? WHERE rowid = ?");
    this.deleteStmt = db.prepare("DELETE FROM documents WHERE rowid = ?");
    this.insertEntryStmt = db.prepare("INSERT INTO index_entries (index_id, key, doc) VALUES (?, ?, ?)");
    this.deleteEntryStmt = db.prepare("DELETE FROM index_entries WHERE index_id = ? AND key = ?");
    this.countStmt = db.prepare("SELECT COUNT(*) AS n FROM index_entries WHERE index_id = ?");
    // Safe integers: commit timestamps are nanoseconds and need all 64 bits.
    this.metaGetStmt = db.prepare("SELECT value FROM meta WHERE key = ?").safeIntegers(true);
    this.metaSetStmt = db.prepare("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    for (const order of ["ASC", "DESC"]) {
      for (const bounded of [true, false]) {
        const upper = bounded ? " AND e.key < ?" : "";
        const sql =
          `SELECT e.key AS key, d.id AS id, e.doc AS rowid, d.json AS json FROM index_entries e JOIN documents d ON d.rowid = e.doc ` +
          `WHERE e.index_id = ? AND e.key >= ?${upper} ORDER BY e.key ${order} LIMIT ?`;
        this.scans[`${order}:${bounded}`] = db.prepare(sql);
        // The hot path reads only the documents: turning every key BLOB into a
        // Buffer cost more than the rest of the scan. Keys are fetched one at a
        // time, when a cursor or a read set needs them.
        this.documentScans[`${order}:${bounded}`] = db
          .prepare(
            `SELECT d.json FROM index_entries e JOIN documents d ON d.rowid = e.doc ` +
              `WHERE e.index_id = ? AND e.key >= ?${upper} ORDER BY e.key ${order} LIMIT ?`,
          )
          .pluck();
        this.keyAtOffsets[`${order}:${bounded}`] = db
          .prepare(`SELECT key FROM index_entries e WHERE e.index_id = ? AND e.key >= ?${upper} ORDER BY e.key ${order} LIMIT 1 OFFSET ?`)
          .pluck();
      }
    }
  }

  get(id: string): StoredDocument | undefined {
    return this.getStmt.get(id) as StoredDocument | undefined;
  }

  insert(id: string, tableNumber: number, json: string, ts: bigint): number {
    return Number(this.insertStmt.run(id, tableNumber, json, ts).lastInsertRowid);
  }

  update(rowid: number, json: string, ts: bigint): void {
    this.updateStmt.run(json, ts, rowid);
  }

  delete(rowid: number): void {
    this.deleteStmt.run(rowid);
  }

  insertEntry(indexId: number, key: Buffer, rowid: number): void {
    this.insertEntryStmt.run(indexId, key, rowid);
  }

  deleteEntry(indexId: number, key: Buffer): void {
    this.deleteEntryStmt.run(indexId, key);
  }

  count(indexId: number): number {
    return (this.countStmt.get(indexId) as { n: number }).n;
  }

  /**
   * Up to `limit` entries of a range in key order. Continue an ascending scan
   * by raising `low` past the last key, a descending one by lowering `high`.
   */
  scan(range: KeyRange, order: "asc" | "desc", limit: number): ScannedEntry[] {
    const statement = this.scans[`${order === "asc" ? "ASC" : "DESC"}:${range.high !== null}`];
    return (range.high !== null
      ? statement.all(range.indexId, range.low, range.high, limit)
      : statement.all(range.indexId, range.low, limit)) as ScannedEntry[];
  }

  /** The documents (JSON text) of up to `limit` entries of a range, in key order. */
  scanDocuments(range: KeyRange, order: "asc" | "desc", limit: number): string[] {
    const statement = this.documentScans[`${order === "asc" ? "ASC" : "DESC"}:${range.high !== null}`];
    return (range.high !== null
      ? statement.all(range.indexId, range.low, range.high, limit)
      : statement.all(range.indexId, range.low, limit)) as string[];
  }

  /** The key of the entry `offset` places into a range, in the given order (undefined past the end). */
  keyAt(range: KeyRange, order: "asc" | "desc", offset: number): Buffer | undefined {
    const statement = this.keyAtOffsets[`${order === "asc" ? "ASC" : "DESC"}:${range.high !== null}`];
    return (range.high !== null
      ? statement.get(range.indexId, range.low, range.high, offset)
      : statement.get(range.indexId, range.low, offset)) as Buffer | undefined;
  }

  getMeta(key: string): unknown {
    return (this.metaGetStmt.get(key) as { value: unknown } | undefined)?.value;
  }

  setMeta(key: string, value: unknown): void {
    this.metaSetStmt.run(key, value);
  }
}
