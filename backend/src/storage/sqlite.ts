// Opening SQLite connections with the settings every connection needs, and the
// backend's own tables. WAL lets readers keep a consistent snapshot while the
// single writer commits; synchronous=NORMAL still puts every commit in the WAL
// file before COMMIT returns, so an acknowledged write survives `kill -9`
// (only a power cut can lose the last commits, as Convex documents for
// self-hosted SQLite).
import Database from "better-sqlite3";

export type Connection = Database.Database;

const SYSTEM_SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (
  key TEXT PRIMARY KEY,
  value ANY
);
CREATE TABLE IF NOT EXISTS tables (
  table_number INTEGER PRIMARY KEY,
  component TEXT NOT NULL,
  name TEXT NOT NULL,
  UNIQUE (component, name)
);
CREATE TABLE IF NOT EXISTS indexes (
  index_id INTEGER PRIMARY KEY,
  table_number INTEGER NOT NULL,
  name TEXT NOT NULL,
  fields TEXT NOT NULL,
  UNIQUE (table_number, name)
);
CREATE TABLE IF NOT EXISTS documents (
  rowid INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  table_number INTEGER NOT NULL,
  json TEXT NOT NULL,
  ts INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS index_entries (
  index_id INTEGER NOT NULL,
  key BLOB NOT NULL,
  doc INTEGER NOT NULL,
  PRIMARY KEY (index_id, key)
) WITHOUT ROWID;
`;

/**
 * With a Checkpointer running, the writer's own automatic checkpoint is only a
 * backstop for a WAL the worker could not keep small (about 80 MB).
 */
const BACKSTOP_AUTOCHECKPOINT_PAGES = 20000;

export function openConnection(path: string, options: { readonly?: boolean } = {}): Connection {
  const db = new Database(path, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  db.pragma("busy_timeout = 10000");
  if (!options.readonly) {
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma(`wal_autocheckpoint = ${BACKSTOP_AUTOCHECKPOINT_PAGES}`);
  }
  db.pragma("cache_size = -32000");
  db.pragma("temp_store = MEMORY");
  db.defaultSafeIntegers(false);
  return db;
}

/** Creates the backend's own tables; idempotent. */
export function ensureSystemSchema(db: Connection): void {
  db.exec(SYSTEM_SCHEMA);
}
