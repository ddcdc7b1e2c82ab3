// A bounded, in-memory record of recent function executions: what
// `npx convex logs` and the log stream of `npx convex dev` print. The CLI
// long-polls GET /api/stream_function_logs?cursor=<n> and passes back the
// `newCursor` it got (node_modules/convex/src/cli/lib/logs.ts); entries are
// Convex's `FunctionExecutionJson` ("Completion" kind).
//
// Cursors are milliseconds since the epoch, made strictly increasing, so a
// CLI that outlives a backend restart neither replays nor loses much.

export type UdfTypeJson = "Query" | "Mutation" | "Action" | "HttpAction";

export interface LogLineJson {
  messages: string[];
  isTruncated: boolean;
  /** Milliseconds since the epoch. */
  timestamp: number;
  level: "DEBUG" | "ERROR" | "WARN" | "INFO" | "LOG";
}

/** What the engine reports about one finished execution. */
export interface ExecutionReport {
  udfType: UdfTypeJson;
  /** "messages:send" */
  identifier: string;
  /** "" for the app. */
  componentPath: string;
  startedAtMs: number;
  durationMs: number;
  success: boolean;
  error?: string;
  /** Lines as functions print them: "[LOG] text". */
  logLines: string[];
  caller?: string;
  requestId?: string;
}

export interface FunctionExecutionJson {
  kind: "Completion";
  udfType: UdfTypeJson;
  componentPath: string | null;
  identifier: string;
  logLines: LogLineJson[];
  /** Seconds since the epoch (the CLI multiplies by 1000). */
  timestamp: number;
  cachedResult: boolean;
  caller: string;
  parentExecutionId: null;
  /** Seconds. */
  executionTime: number;
  success: null;
  error: string | null;
  requestId: string;
  executionId: string;
  usageStats: Record<string, number>;
  willRetry: boolean;
  executionTimestamp: number;
  identityType: string;
  environment: string;
}

interface Entry {
  cursor: number;
  execution: FunctionExecutionJson;
}

const LEVELS = new Set(["DEBUG", "ERROR", "WARN", "INFO", "LOG"]);
const ZERO_USAGE = {
  databaseReadBytes: 0,
  databaseWriteBytes: 0,
  databaseReadDocuments: 0,
  databaseWriteDocuments: 0,
  storageReadBytes: 0,
  storageWriteBytes: 0,
  memoryUsedMb: 0,
};

/** "[WARN] text" → a structured line; anything else is a LOG line as is. */
export function structuredLogLine(line: string, timestamp: number): LogLineJson {
  const match = /^\[([A-Z]+)\] ([\s\S]*)$/.exec(line);
  if (match && LEVELS.has(match[1]!)) {
    return { messages: [match[2]!], isTruncated: false, timestamp, level: match[1] as LogLineJson["level"] };
  }
  return { messages: [line], isTruncated: false, timestamp, level: "LOG" };
}

export class ExecutionLog {
  private readonly entries: Entry[] = [];
  /** Highest cursor handed out, as an entry's or as an empty poll's head. */
  private lastCursor = 0;
  private nextExecutionId = 1;
  private readonly waiters = new Set<() => void>();

  constructor(readonly capacity = 10_000) {}

  record(report: ExecutionReport): void {
    const finishedMs = report.startedAtMs + report.durationMs;
    const execution: FunctionExecutionJson = {
      kind: "Completion",
      udfType: report.udfType,
      componentPath: report.componentPath === "" ? null : report.componentPath,
      identifier: report.identifier,
      logLines: report.logLines.map((line) => structuredLogLine(line, finishedMs)),
      timestamp: finishedMs / 1000,
      cachedResult: false,
      caller: report.caller ?? "",
      parentExecutionId: null,
      executionTime: report.durationMs / 1000,
      success: null,
      error: report.success ? null : (report.error ?? "Function failed"),
      requestId: report.requestId ?? "",
      executionId: String(this.nextExecutionId++),
      usageStats: ZERO_USAGE,
      willRetry: false,
      executionTimestamp: report.startedAtMs / 1000,
      identityType: "",
      environment: "isolate",
    };
    const cursor = this.advance(Date.now());
    this.entries.push({ cursor, execution });
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
    for (const wake of [...this.waiters]) wake();
  }

  /** Entries after `cursor`, and the cursor to ask with next. */
  since(cursor: number): { entries: FunctionExecutionJson[]; newCursor: number } {
    let start = this.entries.length;
    while (start > 0 && this.entries[start - 1]!.cursor > cursor) start--;
    const slice = this.entries.slice(start);
    if (slice.length > 0) return { entries: slice.map((e) => e.execution), newCursor: slice[slice.length - 1]!.cursor };
    // Nothing new: a head cursor at least "now", so only later executions follow it.
    return { entries: [], newCursor: Math.max(cursor, this.advance(Date.now())) };
  }

  /**
   * The long poll: answers at once for cursor 0 (the CLI's first request, which
   * only fetches history and the head) or when entries are waiting; otherwise
   * waits up to `timeoutMs` for one, or until `cancel` fires.
   */
  async poll(cursor: number, timeoutMs: number, cancel?: (stop: () => void) => void): Promise<{ entries: FunctionExecutionJson[]; newCursor: number }> {
    const now = this.since(cursor);
    if (cursor <= 0 || now.entries.length > 0) return now;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.waiters.add(done);
      cancel?.(done);
    });
    return this.since(cursor);
  }

  get size(): number {
    return this.entries.length;
  }

  private advance(nowMs: number): number {
    // 1/1000 ms steps stay representable for epoch milliseconds (ulp ≈ 2^-12).
    this.lastCursor = nowMs > this.lastCursor ? nowMs : this.lastCursor + 0.001;
    return this.lastCursor;
  }
}
