// `ctx.scheduler.runAfter / runAt / cancel` (node_modules/convex/src/server/impl/scheduler_impl.ts):
//   1.0/schedule, 1.0/cancel_job                 from mutations: in the mutation's own transaction,
//                                                so a mutation that throws schedules nothing;
//   1.0/actions/schedule, 1.0/actions/cancel_job from actions: each its own small transaction.
// `ts` is seconds since the epoch (a float); the job runs in the component of
// the function it names, its record lives in the scheduling component's
// `_scheduled_functions`.
import { jsonToConvex } from "convex/values";
import type { Transaction } from "../database/transaction.js";
import type { JSONValue } from "../engine/contract.js";
import type { LocalEngine } from "../engine/localEngine.js";
import type { ExecutionContext } from "../runtime/executionContext.js";
import { SyscallError, type Address } from "../runtime/syscalls.js";
import { cancelJob, insertJob } from "./scheduledJobs.js";

/** Convex's limit on functions scheduled by one mutation or action. */
export const MAX_SCHEDULED_PER_EXECUTION = 1000;

const scheduledCounts = new WeakMap<object, number>();

function countScheduled(owner: object): void {
  const count = (scheduledCounts.get(owner) ?? 0) + 1;
  if (count > MAX_SCHEDULED_PER_EXECUTION) {
    throw new SyscallError(`Too many functions scheduled by this function (limit: ${MAX_SCHEDULED_PER_EXECUTION}).`);
  }
  scheduledCounts.set(owner, count);
}

function addressOf(args: Record<string, unknown>): Address {
  return {
    name: args.name as string | undefined,
    reference: args.reference as string | undefined,
    functionHandle: args.functionHandle as string | undefined,
  };
}

function scheduleTarget(engine: LocalEngine, context: ExecutionContext, args: Record<string, unknown>) {
  let resolved;
  try {
    resolved = engine.loadedDeployment.resolveAddress(context.component, addressOf(args));
  } catch (error) {
    throw new SyscallError(`Attempted to schedule a function that does not exist: ${(error as Error).message}`);
  }
  if (resolved.kind !== "mutation" && resolved.kind !== "action") {
    throw new SyscallError(`${resolved.udfPath} is a ${resolved.kind}; only mutations and actions can be scheduled.`);
  }
  const ts = args.ts;
  if (typeof ts !== "number" || !Number.isFinite(ts)) throw new SyscallError("The scheduled time must be a finite number of seconds since the epoch.");
  return { targetComponent: resolved.component, udfPath: resolved.udfPath, dueMs: ts * 1000, args: (args.args ?? {}) as JSONValue };
}

function jobIdOf(args: Record<string, unknown>): string {
  const id = jsonToConvex(args.id as never);
  if (typeof id !== "string") throw new SyscallError(`Invalid argument \`id\` for \`scheduler.cancel\`: expected a string, got ${JSON.stringify(args.id)}`);
  return id;
}

function mutationTransaction(context: ExecutionContext, what: string): Transaction {
  if (context.kind !== "mutation" || !context.tx) throw new SyscallError(`${what} can only be called from a mutation or an action.`);
  return context.tx;
}

/** Installs the scheduler syscalls on `engine`, chained in front of any hook already there. */
export function installSchedulerSyscalls(engine: LocalEngine): void {
  const previous = engine.extraAsync;
  engine.extraAsync = (op, args, context) => {
    switch (op) {
      case "1.0/schedule": {
        const tx = mutationTransaction(context, "scheduler.runAfter/runAt");
        const target = scheduleTarget(engine, context, args);
        countScheduled(tx);
        return Promise.resolve(insertJob(tx, { component: context.component, ...target }));
      }
      case "1.0/cancel_job": {
        const tx = mutationTransaction(context, "scheduler.cancel");
        cancelJob(tx, context.component, jobIdOf(args), Date.now());
        return Promise.resolve(null);
      }
      case "1.0/actions/schedule": {
        const target = scheduleTarget(engine, context, args);
        countScheduled(context);
        return engine.writeTransaction(async (tx) => insertJob(tx, { component: context.component, ...target }));
      }
      case "1.0/actions/cancel_job": {
        const id = jobIdOf(args);
        return engine.writeTransaction(async (tx) => {
          cancelJob(tx, context.component, id, Date.now());
          return null;
        });
      }
      default:
        return previous?.(op, args, context);
    }
  };
}
