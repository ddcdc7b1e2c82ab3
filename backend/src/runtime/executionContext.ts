// The state of one running function, found by every syscall through
// AsyncLocalStorage: concurrent functions in this process never see each
// other's transaction, streams, identity or logs.
import { AsyncLocalStorage } from "node:async_hooks";
import type { AuthState } from "../engine/contract.js";
import type { QueryStream } from "../database/queryEngine.js";
import type { Transaction } from "../database/transaction.js";

export type ExecutionKind = "query" | "mutation" | "action" | "httpAction";

export interface ExecutionContext {
  kind: ExecutionKind;
  component: string;
  udfPath: string;
  /** The transaction of a query or mutation; null in actions. */
  tx: Transaction | null;
  auth: AuthState;
  streams: Map<number, QueryStream>;
  nextStreamId: number;
  paginateCalls: number;
  /** Pagination journal: the end cursor to reuse, and the one this run produced. */
  journal: { endCursorIn: string | null; endCursorOut: string | null };
  logLines: string[];
  /** Fixed for the execution in queries and mutations (Convex's determinism); null = real time. */
  frozenNowMs: number | null;
  random: (() => number) | null;
  requestId: string;
  /** Set while a nested call runs, so its logs and streams stay its own. */
  parent: ExecutionContext | null;
}

export const executionStorage = new AsyncLocalStorage<ExecutionContext>();

export function currentExecution(): ExecutionContext {
  const context = executionStorage.getStore();
  if (!context) {
    throw new Error("A Convex syscall was made outside of any running function.");
  }
  return context;
}
