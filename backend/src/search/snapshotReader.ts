// Reads for code that runs outside any query or mutation (actions' vector
// search and file reads, file downloads): one consistent snapshot on a
// connection of our own, so they never see a mutation's uncommitted writes on
// the writer connection. Reads are synchronous, so one connection serves all.
import { Transaction } from "../database/transaction.js";
import type { LocalEngine } from "../engine/localEngine.js";
import { DocumentStore } from "../storage/documentStore.js";
import { openConnection, type Connection } from "../storage/sqlite.js";

const readers = new WeakMap<LocalEngine, { connection: Connection; store: DocumentStore }>();

export function readSnapshot<T>(engine: LocalEngine, work: (tx: Transaction) => T): T {
  let reader = readers.get(engine);
  if (!reader) {
    const connection = openConnection(engine.writer.name);
    reader = { connection, store: new DocumentStore(connection) };
    readers.set(engine, reader);
    const close = engine.close.bind(engine);
    engine.close = () => {
      readers.delete(engine);
      connection.close();
      close();
    };
  }
  const { connection, store } = reader;
  connection.exec("BEGIN");
  try {
    const ts = (store.getMeta("ts") as bigint | undefined) ?? 0n;
    const tx = new Transaction({ store, catalog: engine.catalog, schemas: engine.schemas, clock: engine.clock }, "read", ts);
    return work(tx);
  } finally {
    connection.exec("COMMIT");
  }
}
