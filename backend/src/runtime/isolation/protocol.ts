// Messages between the main thread (database, transactions, syscall handlers)
// and the isolation workers (user code). Plain structured-clone data only.
//
// Besides the ports, each worker shares two memory cells with the main thread
// so either side can sleep in Atomics.wait instead of its event loop:
// - the worker's `flag` (WORKER_REPLY: a blocking syscall's reply is on the
//   reply port; WORKER_DOORBELL: a message was posted to the idle worker);
// - one `bell` for all workers, bumped after every message a worker posts, on
//   which the main thread waits while it serves a running query or mutation.
import type { MessagePort } from "node:worker_threads";

export type IsolatedKind = "query" | "mutation" | "action";

/** What a worker needs to start one execution. */
export interface RunMessage {
  type: "run";
  id: number;
  /** Set for nested calls (`ctx.runQuery` inside a query or mutation): shares the parent's clock and randomness. */
  parentId: number | null;
  file: string;
  exportName: string;
  kind: IsolatedKind;
  argsJson: string;
  requestId: string;
  frozenNowMs: number | null;
  seed: number | null;
}

/** What the main thread hands a new worker. */
export interface WorkerStartData {
  pool: "udf" | "action";
  /** Int32Array(2) over it: WORKER_REPLY and WORKER_DOORBELL. */
  flag: SharedArrayBuffer;
  /** Int32Array(1) over it: bumped and notified after each message to the main thread. */
  bell: SharedArrayBuffer;
  /** Where the worker reads blocking syscalls' replies (receiveMessageOnPort). */
  replyPort: MessagePort;
  /** Where the worker posts everything for the main thread (read there with receiveMessageOnPort too). */
  toMain: MessagePort;
}

export const WORKER_REPLY = 0;
export const WORKER_DOORBELL = 1;

export type MainToWorker =
  | RunMessage
  | { type: "preload"; files: string[] }
  | { type: "asyncReply"; callId: number; reply: SyscallReply };

/** How a worker asks the main thread to act on its execution's context. */
export type SyscallMode = "syscall" | "asyncSyscall" | "jsSyscall" | "streamBatch" | "env";

export type WorkerToMain =
  | { type: "ready" }
  | { type: "preloadFailed"; file: string; message: string }
  /** A call the worker blocks on (Atomics.wait) until the reply is on its reply port. */
  | { type: "sync"; id: number; mode: SyscallMode; op: string; args: string; batch?: number }
  /** A call the worker awaits without blocking (nested calls, actions, JS syscalls). */
  | { type: "async"; id: number; callId: number; mode: SyscallMode; op: string; args: unknown }
  | { type: "log"; id: number; line: string; level: string; text: string }
  | { type: "done"; id: number; ok: true; resultJson: string }
  | { type: "done"; id: number; ok: false; error: ThrownShape };

export type SyscallReply = { ok: true; value: unknown } | { ok: false; message: string; data?: unknown };

/** What user code threw, in a form that survives structured clone. */
export type ThrownShape =
  | { primitive: string }
  | { name?: string; message?: string; stack?: string; data?: unknown; convexError: boolean };

/** A Blob crossing threads (file storage's JS syscalls). */
export interface BlobTransfer {
  __semsBlob: ArrayBuffer;
  type: string;
}

export function isBlobTransfer(value: unknown): value is BlobTransfer {
  return typeof value === "object" && value !== null && (value as BlobTransfer).__semsBlob instanceof ArrayBuffer;
}

export const TIMEOUT_MESSAGE = (limitMs: number): string =>
  // Convex's text (crates/isolate/src/termination.rs, UserTimeoutError: Rust's Debug of a Duration).
  `Function execution timed out (maximum duration: ${limitMs % 1000 === 0 ? `${limitMs / 1000}s` : `${limitMs}ms`})`;

/** Convex's refusal of non-deterministic APIs (crates/isolate/src/environment/udf/mod.rs, not_allowed_in_udf). */
export const NOT_ALLOWED_IN_UDF = (description: string): string =>
  `Can't use ${description} in queries and mutations. Please consider using an action. See https://docs.convex.dev/functions/actions for more details.`;
