// The physical catalog: which tables exist in which component, their table
// numbers (encoded in every document id) and their indexes. Kept in memory,
// loaded from SQLite at start, changed only by the single writer.
import type { Connection } from "./sqlite.js";

export interface IndexInfo {
  id: number;
  name: string;
  /** Declared fields; the key also ends with _creationTime and _id (see indexKeyFields). */
  fields: string[];
}

export interface TableInfo {
  number: number;
  component: string;
  name: string;
  indexes: Map<string, IndexInfo>;
}

/** User tables get numbers from here up, like Convex; system tables below. */
const FIRST_USER_TABLE_NUMBER = 10001;

export const BY_ID = "by_id";
export const BY_CREATION_TIME = "by_creation_time";

/** The fields an index key is built from, in order: declared fields then the tie-breakers Convex adds. */
export function indexKeyFields(index: IndexInfo): string[] {
  if (index.name === BY_ID) return ["_id"];
  if (index.name === BY_CREATION_TIME) return ["_creationTime", "_id"];
  return [...index.fields, "_creationTime", "_id"];
}

export class Catalog {
  private byComponent = new Map<string, Map<string, TableInfo>>();
  private byNumber = new Map<number, TableInfo>();
  private indexesById = new Map<number, { table: TableInfo; index: IndexInfo }>();
  /** Bumped on every change so caches keyed on the catalog can notice. */
  version = 0;

  static load(db: Connection): Catalog {
    const catalog = new Catalog();
    catalog.reload(db);
    return catalog;
  }

  reload(db: Connection): void {
    this.byComponent.clear();
    this.byNumber.clear();
    this.indexesById.clear();
    const tables = db.prepare("SELECT table_number, component, name FROM tables").all() as {
      table_number: number;
      component: string;
      name: string;
    }[];
    for (const row of tables) {
      this.remember({ number: row.table_number, component: row.component, name: row.name, indexes: new Map() });
    }
    const indexes = db.prepare("SELECT index_id, table_number, name, fields FROM indexes").all() as {
      index_id: number;
      table_number: number;
      name: string;
      fields: string;
    }[];
    for (const row of indexes) {
      const table = this.byNumber.get(row.table_number);
      if (!table) continue;
      this.rememberIndex(table, { id: row.index_id, name: row.name, fields: JSON.parse(row.fields) });
    }
    this.version++;
  }

  table(component: string, name: string): TableInfo | undefined {
    return this.byComponent.get(component)?.get(name);
  }

  tableByNumber(number: number): TableInfo | undefined {
    return this.byNumber.get(number);
  }

  index(indexId: number): { table: TableInfo; index: IndexInfo } | undefined {
    return this.indexesById.get(indexId);
  }

  tablesOf(component: string): TableInfo[] {
    return [...(this.byComponent.get(component)?.values() ?? [])];
  }

  components(): string[] {
    return [...this.byComponent.keys()];
  }

  /** Creates a table with its two built-in indexes. Must run inside the writer's transaction. */
  createTable(db: Connection, component: string, name: string): TableInfo {
    const existing = this.table(component, name);
    if (existing) return existing;
    const isSystem = name.startsWith("_");
    const { highest } = db
      .prepare(
        isSystem
          ? "SELECT MAX(table_number) AS highest FROM tables WHERE table_number < ?"
          : "SELECT MAX(table_number) AS highest FROM tables WHERE table_number >= ?",
      )
      .get(FIRST_USER_TABLE_NUMBER) as { highest: number | null };
    const number = highest === null ? (isSystem ? 1 : FIRST_USER_TABLE_NUMBER) : highest + 1;
    db.prepare("INSERT INTO tables (table_number, component, name) VALUES (?, ?, ?)").run(number, component, name);
    const table: TableInfo = { number, component, name, indexes: new Map() };
    this.remember(table);
    this.createIndex(db, table, BY_ID, ["_id"]);
    this.createIndex(db, table, BY_CREATION_TIME, ["_creationTime"]);
    this.version++;
    return table;
  }

  createIndex(db: Connection, table: TableInfo, name: string, fields: string[]): IndexInfo {
    const info = db
      .prepare("INSERT INTO indexes (table_number, name, fields) VALUES (?, ?, ?)")
      .run(table.number, name, JSON.stringify(fields));
    const index: IndexInfo = { id: Number(info.lastInsertRowid), name, fields };
    this.rememberIndex(table, index);
    this.version++;
    return index;
  }

  dropIndex(db: Connection, table: TableInfo, name: string): void {
    const index = table.indexes.get(name);
    if (!index) return;
    db.prepare("DELETE FROM index_entries WHERE index_id = ?").run(index.id);
    db.prepare("DELETE FROM indexes WHERE index_id = ?").run(index.id);
    table.indexes.delete(name);
    this.indexesById.delete(index.id);
    this.version++;
  }

  private remember(table: TableInfo): void {
    let tables = this.byComponent.get(table.component);
    if (!tables) this.byComponent.set(table.component, (tables = new Map()));
    tables.set(table.name, table);
    this.byNumber.set(table.number, table);
  }

  private rememberIndex(table: TableInfo, index: IndexInfo): void {
    table.indexes.set(index.name, index);
    this.indexesById.set(index.id, { table, index });
  }
}
