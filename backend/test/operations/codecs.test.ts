// The pieces under export/import and the log stream, without a backend:
// Convex's export encoding, our ZIP writer read back by our reader, the log
// cursor rules, and the latency percentiles.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { convexToJson } from "convex/values";
import { expect, test } from "vitest";
import { ExecutionLog } from "../../src/observability/executionLog.js";
import { FunctionMetrics, percentile } from "../../src/observability/functionMetrics.js";
import { parseExportJson, toExportJson } from "../../src/operations/exportJson.js";
import { parseEntryPath } from "../../src/operations/importSources.js";
import { linesOf, ZipReader } from "../../src/operations/zip/zipReader.js";
import { ZipWriter } from "../../src/operations/zip/zipWriter.js";

test("export encoding spells int64 and float64 apart and round-trips every value kind", () => {
  const value = convexToJson({
    i: 42n,
    big: -(2n ** 63n),
    f: 42,
    negZero: -0,
    frac: 0.1,
    huge: 1e300,
    inf: Infinity,
    nan: NaN,
    bytes: new Uint8Array([0, 1, 255]).buffer,
    s: 'quote " and ünïcode',
    list: [1n, 2.5, null, true],
  } as never);
  const text = toExportJson(value as never);
  expect(text).toContain('"i":42,');
  expect(text).toContain('"f":42.0,');
  expect(text).toContain('"negZero":-0.0,');
  expect(text).toContain('"big":-9223372036854775808');
  expect(parseExportJson(text)).toEqual(value);
  expect(() => parseExportJson('{"a":9223372036854775808}')).toThrow(/int64/);
});

test("ZIP entries written in chunks read back intact, multi-byte characters across chunk edges included", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sems-zip-"));
  const file = path.join(dir, "t.zip");
  const lines = Array.from({ length: 5000 }, (_, i) => JSON.stringify({ i, text: "é".repeat(i % 7) }));
  const zip = await ZipWriter.create(file);
  await zip.add("a/documents.jsonl", (async function* () {
    for (let i = 0; i < lines.length; i += 333) yield Buffer.from(lines.slice(i, i + 333).join("\n") + "\n").subarray(0);
  })());
  await zip.add("empty.txt", "");
  await zip.close();
  const reader = await ZipReader.open(file);
  expect(reader.entries.map((e) => e.name)).toEqual(["a/documents.jsonl", "empty.txt"]);
  const read: string[] = [];
  for await (const line of linesOf(await reader.stream(reader.entries[0]!))) read.push(line);
  expect(read).toEqual(lines);
  expect(await reader.readText(reader.entries[1]!)).toBe("");
  fs.rmSync(dir, { recursive: true, force: true });
});

test("ZIP entry paths map to components and tables as Convex parses them", () => {
  expect(parseEntryPath("items/documents.jsonl")).toEqual({ component: "", table: "items", file: "documents.jsonl" });
  expect(parseEntryPath("_components/a/_components/b/t/documents.jsonl")).toEqual({ component: "a/b", table: "t", file: "documents.jsonl" });
  expect(parseEntryPath("snapshot/_components/a/_tables/documents.jsonl")).toEqual({ component: "a", table: "_tables", file: "documents.jsonl" });
});

test("the log cursor: history at cursor 0, then only later executions", async () => {
  const log = new ExecutionLog(3);
  const report = (name: string) =>
    log.record({ udfType: "Mutation", identifier: name, componentPath: "", startedAtMs: Date.now(), durationMs: 1, success: true, logLines: [`[WARN] ${name}`] });
  report("a:one");
  const first = await log.poll(0, 1000);
  expect(first.entries.map((e) => e.identifier)).toEqual(["a:one"]);
  expect(first.entries[0]!.logLines[0]).toMatchObject({ level: "WARN", messages: ["a:one"] });
  const waiting = log.poll(first.newCursor, 5000);
  report("a:two");
  const second = await waiting;
  expect(second.entries.map((e) => e.identifier)).toEqual(["a:two"]);
  expect(second.newCursor).toBeGreaterThan(first.newCursor);
  // An empty poll returns a head no later execution can fall behind.
  const empty = await log.poll(second.newCursor, 10);
  expect(empty.entries).toEqual([]);
  report("a:three");
  expect((await log.poll(empty.newCursor, 10)).entries.map((e) => e.identifier)).toEqual(["a:three"]);
  for (let i = 0; i < 5; i++) report(`b:${i}`);
  expect(log.size).toBe(3);
});

test("metrics: nearest-rank percentiles over the window, totals since start", () => {
  expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50)).toBe(5);
  expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).toBe(10);
  expect(percentile([], 50)).toBeNull();
  const metrics = new FunctionMetrics(1000);
  metrics.record("f", "Query", 100, true, 0);
  for (let i = 1; i <= 100; i++) metrics.record("f", "Query", i, i !== 7, 5000);
  const [f] = metrics.snapshot(5500);
  expect(f).toMatchObject({ function: "f", totalSuccesses: 100, totalFailures: 1 });
  expect(f!.window).toMatchObject({ count: 100, failures: 1, p50Ms: 50, p95Ms: 95, p99Ms: 99, maxMs: 100 });
});
