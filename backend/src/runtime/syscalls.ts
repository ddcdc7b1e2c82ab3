// `globalThis.Convex`: the syscall interface that the `convex` package's server
// runtime calls (node_modules/convex/src/server/impl/*.ts). Each call finds the
// running function through AsyncLocalStorage and acts on its transaction.
import { jsonToConvex } from "convex/values";
import { queryPage, QueryStream, type SerializedQuery } from "../database/queryEngine.js";
import type { Transaction } from "../database/transaction.js";
import type { JSONValue } from "../engine/contract.js";
import { currentExecution, type ExecutionContext } from "./executionContext.js";

/** What the syscalls need from the function runner and the engine. */
export interface SyscallHost {
  /** `ctx.runQuery` / `ctx.runMutation` inside a query or mutation: same transaction. */
  runNested(context: ExecutionContext, udfType: "query" | "mutation" | "snapshotQuery", address: Address, args: JSONValue): Promise<string>;
  /** `ctx.runQuery|runMutation|runAction` from an action: each its own transaction. */
  runFromAction(context: ExecutionContext, udfType: "query" | "mutation" | "action", address: Address, args: JSONValue): Promise<string>;
  createFunctionHandle(context: ExecutionContext, address: Address): string;
  /** Further syscalls (scheduler, storage, auth extras…) added by later layers. */
  extraAsync?: (op: string, args: Record<string, unknown>, context: ExecutionContext) => Promise<JSONValue> | undefined;
  extraSync?: (op: string, args: Record<string, unknown>, context: ExecutionContext) => JSONValue | undefined;
  extraJs?: (op: string, args: Record<string, unknown>, context: ExecutionContext) => unknown;
}

export type Address = { name?: string; reference?: string; functionHandle?: string };

/** An error a syscall reports to user code; `data` makes it a ConvexError there. */
export class SyscallError extends Error {
  constructor(message: string, readonly data?: JSONValue) {
    super(message);
  }
}

function transactionOf(context: ExecutionContext, op: string): Transaction {
  if (!context.tx) {
    throw new SyscallError(
      `${op} is not available in actions: actions have no direct database access. Use ctx.runQuery or ctx.runMutation.`,
    );
  }
  return context.tx;
}

function addressOf(args: Record<string, unknown>): Address {
  return {
    name: args.name as string | undefined,
    reference: args.reference as string | undefined,
    functionHandle: args.functionHandle as string | undefined,
  };
}

function idArgument(args: Record<string, unknown>): string {
  const id = args.id;
  if (typeof id !== "string") throw new SyscallError(`Invalid argument \`id\`: expected a string ID, got ${JSON.stringify(id)}`);
  return id;
}

function syncSyscall(op: string, args: Record<string, unknown>, host: SyscallHost): JSONValue {
  const context = currentExecution();
  switch (op) {
    case "1.0/db/normalizeId": {
      const tx = transactionOf(context, "db.normalizeId");
      return { id: tx.normalizeId(context.component, args.table as string, args.idString as string) };
    }
    case "1.0/queryStream": {
      const tx = transactionOf(context, "db.query");
      const stream = new QueryStream(tx, context.component, args.query as SerializedQuery);
      const queryId = context.nextStreamId++;
      context.streams.set(queryId, stream);
      return { queryId };
    }
    case "1.0/queryCleanup": {
      context.streams.delete(args.queryId as number);
      return {};
    }
    case "1.0/getSnapshotTs": {
      const ts = context.tx?.ts ?? 0n;
      return { $integer: bigintToBase64(ts) };
    }
    default: {
      const extra = host.extraSync?.(op, args, context);
      if (extra !== undefined) return extra;
      throw new SyscallError(`Unknown syscall ${op}: this backend does not support it yet.`);
    }
  }
}

function bigintToBase64(value: bigint): string {
  const buffer = Buffer.alloc(8);
  buffer.writeBigInt64LE(value);
  return buffer.toString("base64");
}

/**
 * The "async" syscalls. Database operations answer synchronously (SQLite is
 * synchronous) with a plain string: the runtime `await`s whatever it gets, and
 * skipping a promise per document is measurable on a 100-row range. Errors are
 * thrown synchronously, which the runtime's try/await/catch treats like a rejection.
 */
function asyncSyscall(op: string, args: Record<string, unknown>, host: SyscallHost): string | Promise<string> {
  const context = currentExecution();
  switch (op) {
    case "1.0/get": {
      const tx = transactionOf(context, "db.get");
      const id = jsonToConvex(args.id as never);
      if (typeof id !== "string") throw new SyscallError(`Invalid argument \`id\` for \`db.get\`: expected a string, got ${JSON.stringify(args.id)}`);
      return tx.get(context.component, id, { isSystem: Boolean(args.isSystem), table: args.table as string | undefined }) ?? "null";
    }
    case "1.0/queryStreamNext": {
      const stream = context.streams.get(args.queryId as number);
      if (!stream) throw new SyscallError("This query stream has been closed.");
      const value = stream.next();
      if (value === null) {
        context.streams.delete(args.queryId as number);
        return '{"value":null,"done":true}';
      }
      return `{"value":${value},"done":false}`;
    }
    case "1.0/queryPage": {
      const tx = transactionOf(context, "paginate");
      if (++context.paginateCalls > 1) {
        throw new SyscallError(
          "This query or mutation function ran multiple paginated queries. Convex only supports a single paginated query in each function.",
        );
      }
      const endCursor = (args.endCursor as string | null) ?? context.journal.endCursorIn;
      const result = queryPage(tx, context.component, {
        query: args.query as SerializedQuery,
        cursor: (args.cursor as string | null) ?? null,
        endCursor: endCursor ?? null,
        pageSize: args.pageSize as number,
        maximumRowsRead: (args.maximumRowsRead as number | null) ?? null,
        maximumBytesRead: (args.maximumBytesRead as number | null | undefined) ?? null,
      });
      context.journal.endCursorOut = result.continueCursor;
      return (
        `{"page":[${result.page.join(",")}],"isDone":${result.isDone},"continueCursor":${JSON.stringify(result.continueCursor)},` +
        `"splitCursor":${JSON.stringify(result.splitCursor)},"pageStatus":${JSON.stringify(result.pageStatus)}}`
      );
    }
    case "1.0/count": {
      const tx = transactionOf(context, "count");
      return JSON.stringify(tx.count(context.component, args.table as string));
    }
    case "1.0/insert": {
      const tx = transactionOf(context, "db.insert");
      return JSON.stringify({ _id: tx.insert(context.component, args.table as string, args.value) });
    }
    case "1.0/shallowMerge": {
      const tx = transactionOf(context, "db.patch");
      const value = args.value;
      if (value === null || typeof value !== "object" || Array.isArray(value)) {
        throw new SyscallError(`Invalid argument \`value\` for \`db.patch\`: expected an object.`);
      }
      tx.patch(context.component, jsonToConvex(args.id as never) as string, value as Record<string, unknown>, args.table as string | undefined);
      return "{}";
    }
    case "1.0/replace": {
      const tx = transactionOf(context, "db.replace");
      tx.replace(context.component, idArgument({ id: jsonToConvex(args.id as never) }), args.value, args.table as string | undefined);
      return "{}";
    }
    case "1.0/remove": {
      const tx = transactionOf(context, "db.delete");
      tx.remove(context.component, idArgument({ id: jsonToConvex(args.id as never) }), args.table as string | undefined);
      return "{}";
    }
    case "1.0/runUdf": {
      if (context.kind !== "query" && context.kind !== "mutation") {
        throw new SyscallError("1.0/runUdf is only available in queries and mutations.");
      }
      return host.runNested(context, args.udfType as "query" | "mutation" | "snapshotQuery", addressOf(args), args.args as JSONValue);
    }
    case "1.0/actions/query":
    case "1.0/actions/mutation":
    case "1.0/actions/action": {
      if (context.kind !== "action" && context.kind !== "httpAction") {
        throw new SyscallError(`${op} can only be called from an action.`);
      }
      const udfType = op.slice("1.0/actions/".length) as "query" | "mutation" | "action";
      return host.runFromAction(context, udfType, addressOf(args), args.args as JSONValue);
    }
    case "1.0/createFunctionHandle":
      return JSON.stringify(host.createFunctionHandle(context, addressOf(args)));
    case "1.0/getUserIdentity": {
      const auth = context.auth;
      if (auth.kind === "user") return JSON.stringify(auth.identity);
      if (auth.kind === "admin" && auth.impersonating) return JSON.stringify(auth.impersonating);
      return "null";
    }
    case "1.0/getFunctionMetadata":
      return JSON.stringify({ name: context.udfPath, componentPath: context.component });
    case "1.0/getTransactionMetrics": {
      const limits = context.tx?.limits;
      return JSON.stringify({
        bytesRead: { used: limits?.bytesRead ?? 0, remaining: 16 * 1024 * 1024 - (limits?.bytesRead ?? 0) },
        bytesWritten: { used: limits?.bytesWritten ?? 0, remaining: 16 * 1024 * 1024 - (limits?.bytesWritten ?? 0) },
        databaseQueries: { used: 0, remaining: 4096 },
        documentsRead: { used: limits?.documentsRead ?? 0, remaining: 32000 - (limits?.documentsRead ?? 0) },
        documentsWritten: { used: limits?.documentsWritten ?? 0, remaining: 16000 - (limits?.documentsWritten ?? 0) },
        functionsScheduled: { used: 0, remaining: 1000 },
        scheduledFunctionArgsBytes: { used: 0, remaining: 16 * 1024 * 1024 },
      });
    }
    default: {
      const extra = host.extraAsync?.(op, args, context);
      if (extra !== undefined) return Promise.resolve(extra).then((value) => JSON.stringify(value));
      throw new SyscallError(`Unknown syscall ${op}: this backend does not support it yet.`);
    }
  }
}

export interface ConvexSyscalls {
  syscall(op: string, jsonArgs: string): string;
  asyncSyscall(op: string, jsonArgs: string): string | Promise<string>;
  jsSyscall(op: string, args: Record<string, unknown>): unknown;
}

let installed: ConvexSyscalls | null = null;

/** The syscalls `installSyscalls` set up: isolation workers forward their calls to them (runtime/isolation). */
export function installedSyscalls(): ConvexSyscalls {
  if (!installed) throw new Error("No Convex syscalls are installed.");
  return installed;
}

/** Installs `globalThis.Convex` bound to `host`. */
export function installSyscalls(host: SyscallHost): void {
  (globalThis as { Convex?: unknown }).Convex = installed = {
    syscall(op: string, jsonArgs: string): string {
      return JSON.stringify(syncSyscall(op, JSON.parse(jsonArgs), host));
    },
    asyncSyscall(op: string, jsonArgs: string): string | Promise<string> {
      return asyncSyscall(op, JSON.parse(jsonArgs), host);
    },
    jsSyscall(op: string, args: Record<string, unknown>): unknown {
      const context = currentExecution();
      const result = host.extraJs?.(op, args, context);
      if (result !== undefined) return result;
      throw new SyscallError(`Unknown JS syscall ${op}: this backend does not support it yet.`);
    },
  };
}
