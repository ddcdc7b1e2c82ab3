// Moves WAL checkpoints off the request path. With SQLite's automatic
// checkpoint, the commit that crosses the threshold copies pages into the
// database file and fsyncs it — milliseconds spent in the middle of a
// mutation on the one thread that serves every client. Here a worker thread
// with its own connection runs a PASSIVE checkpoint (never blocks readers or
// the writer) whenever the WAL has grown, on the other core.
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

const require = createRequire(import.meta.url);

const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.betterSqlite3);
const db = new Database(workerData.path);
db.pragma("busy_timeout = 1000");
let timer = setInterval(() => {
  try { db.pragma("wal_checkpoint(PASSIVE)"); } catch (error) { parentPort.postMessage(String(error && error.message)); }
}, workerData.intervalMs);
parentPort.on("message", (message) => {
  if (message === "stop") { clearInterval(timer); try { db.close(); } catch {} parentPort.close(); }
});
`;

export class Checkpointer {
  private readonly worker: Worker;

  constructor(databasePath: string, options: { intervalMs?: number; log?: (line: string) => void } = {}) {
    const betterSqlite3 = require.resolve("better-sqlite3");
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { path: databasePath, intervalMs: options.intervalMs ?? 250, betterSqlite3 },
    });
    this.worker.unref();
    this.worker.on("message", (message) => options.log?.(`checkpoint: ${message}`));
    this.worker.on("error", (error) => options.log?.(`checkpoint worker failed: ${error.message}`));
  }

  async stop(): Promise<void> {
    this.worker.postMessage("stop");
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        void this.worker.terminate().then(() => resolve());
      }, 2000);
      this.worker.once("exit", () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
