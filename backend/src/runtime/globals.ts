// Process-wide patches that make user code behave as it does on Convex while
// it runs inside an execution context, and leave everything else untouched:
// console output is captured as the function's log lines, and queries and
// mutations see a frozen clock and a seeded Math.random.
import { AsyncLocalStorage } from "node:async_hooks";
import { inspect } from "node:util";
import { executionStorage } from "./executionContext.js";

let installed = false;

/**
 * Convex runs one execution per isolate, so libraries written for it keep
 * "the current request" in a module field when `globalThis.AsyncLocalStorage`
 * is missing (Better Auth's stand-in does). Here executions share one realm and
 * interleave at every await, so that field would be overwritten by a
 * concurrent request. Offering Node's real AsyncLocalStorage, which such
 * libraries look for first, gives each execution its own store.
 */
export function exposeAsyncLocalStorage(): void {
  const global = globalThis as { AsyncLocalStorage?: unknown };
  global.AsyncLocalStorage ??= AsyncLocalStorage;
}

const LEVELS: Record<string, string> = { log: "LOG", info: "INFO", warn: "WARN", error: "ERROR", debug: "DEBUG" };

function formatArgs(args: unknown[]): string {
  return args.map((arg) => inspect(arg, { depth: 4, breakLength: Infinity })).join(" ");
}

export function installRuntimeGlobals(log: (line: string, level?: "info" | "debug") => void): void {
  if (installed) return;
  installed = true;
  exposeAsyncLocalStorage();

  const realNow = Date.now.bind(Date);
  Date.now = () => executionStorage.getStore()?.frozenNowMs ?? realNow();

  const realRandom = Math.random.bind(Math);
  Math.random = () => {
    const random = executionStorage.getStore()?.random;
    return random ? random() : realRandom();
  };

  const consoleRecord = console as unknown as Record<string, (...args: unknown[]) => void>;
  let forwarding = false;
  for (const [method, level] of Object.entries(LEVELS)) {
    const original = consoleRecord[method].bind(console);
    consoleRecord[method] = (...args: unknown[]) => {
      const context = executionStorage.getStore();
      // `forwarding`: the backend's own `log` may print with console.log while a
      // function's context is active (a nested call failing inside an action);
      // without this guard that recursed until the stack overflowed.
      if (!context || forwarding) return original(...args);
      const text = formatArgs(args);
      context.logLines.push(`[${level}] ${text}`);
      const where = context.component ? `${context.component}/${context.udfPath}` : context.udfPath;
      forwarding = true;
      try {
        log(`[${level}] ${where}: ${text}`);
      } finally {
        forwarding = false;
      }
    };
  }
}
