// Isolation and determinism (issue 4, item 5): user code runs on worker
// threads the backend can stop. A backend in this process with workers on,
// the fixture deployed with the real CLI, and real clients over HTTP and the
// sync WebSocket.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ConvexClient, ConvexHttpClient } from "convex/browser";
import { makeFunctionReference } from "convex/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Backend } from "../../src/application.js";
import { seededRandom } from "../../src/runtime/isolation/seededRandom.js";
import { deployWithCli } from "../helpers/deployWithCli.js";

const fixtureDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixture");
const TIMEOUT_TEXT = "Function execution timed out (maximum duration: 1s)";

const ref = {
  ping: makeFunctionReference<"query">("isolation:ping"),
  countLabel: makeFunctionReference<"query">("isolation:countLabel"),
  loopForever: makeFunctionReference<"query">("isolation:loopForever"),
  readForever: makeFunctionReference<"query">("isolation:readForever"),
  envView: makeFunctionReference<"query">("isolation:envView"),
  insertItem: makeFunctionReference<"mutation">("isolation:insertItem"),
  insertThenLoop: makeFunctionReference<"mutation">("isolation:insertThenLoop"),
  fetchInMutation: makeFunctionReference<"mutation">("isolation:fetchInMutation"),
  timerInMutation: makeFunctionReference<"mutation">("isolation:timerInMutation"),
  randoms: makeFunctionReference<"mutation">("isolation:randoms"),
  nestedRandoms: makeFunctionReference<"query">("isolation:nestedRandoms"),
  clock: makeFunctionReference<"query">("isolation:clock"),
};

let backend: Backend;
let dataDir: string;
let http: ConvexHttpClient;
/** Every seed the backend handed out, in order. */
const seeds: number[] = [];
let nextSeed = 0x5eed0000;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sems-isolation-"));
  backend = await Backend.start({
    dataDir,
    port: 0,
    sitePort: 0,
    log: () => {},
    isolation: {
      mode: "workers",
      workers: 2,
      seed: () => {
        const seed = nextSeed++;
        seeds.push(seed);
        return seed;
      },
    },
  });
  await deployWithCli({
    projectDir: fixtureDir,
    url: backend.urls.cloudUrl,
    adminKey: backend.adminKey,
    args: ["deploy", "--yes", "--typecheck", "disable", "--codegen", "disable"],
  });
  http = new ConvexHttpClient(backend.urls.cloudUrl);
}, 120_000);

afterAll(async () => {
  await backend?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function sequenceOf(seed: number, length: number): number[] {
  const random = seededRandom(seed);
  return Array.from({ length }, () => random());
}

describe("time limits", () => {
  it("stops an endless query with Convex's timeout error while other clients keep being served", async () => {
    const ws = new ConvexClient(backend.urls.cloudUrl);
    try {
      let loopSettled = false;
      const loop = http.query(ref.loopForever, {}).then(
        () => ({ ok: true as const }),
        (error: Error) => ({ ok: false as const, message: error.message }),
      );
      void loop.finally(() => (loopSettled = true));
      // Give the loop time to start spinning on its worker.
      await new Promise((resolve) => setTimeout(resolve, 100));

      const served: string[] = [];
      while (!loopSettled && served.length < 20) {
        const otherHttp = new ConvexHttpClient(backend.urls.cloudUrl);
        expect(await otherHttp.query(ref.ping, {})).toMatchObject({ pong: true });
        expect(await ws.query(ref.ping, {})).toMatchObject({ pong: true });
        await ws.mutation(ref.insertItem, { label: "served-during-loop" });
        if (!loopSettled) served.push("http query, ws query, ws mutation");
      }
      expect(served.length).toBeGreaterThan(0);

      const result = await loop;
      expect(result.ok).toBe(false);
      expect(result.ok === false && result.message).toContain(TIMEOUT_TEXT);
      // The backend goes on answering afterwards, with a fresh worker.
      expect(await http.query(ref.ping, {})).toMatchObject({ pong: true });
    } finally {
      await ws.close();
    }
  }, 30_000);

  it("keeps answering other clients promptly while a query loops on syscalls until its limit", async () => {
    // The main thread answers this loop's syscalls synchronously (runtime/isolation,
    // `serve`); it must still return to its event loop every slice.
    const ws = new ConvexClient(backend.urls.cloudUrl);
    try {
      let loopSettled = false;
      const loop = http.query(ref.readForever, {}).then(
        () => "returned",
        (error: Error) => error.message,
      );
      void loop.finally(() => (loopSettled = true));
      await new Promise((resolve) => setTimeout(resolve, 100));
      const latencies: number[] = [];
      while (!loopSettled && latencies.length < 50) {
        const started = performance.now();
        await ws.mutation(ref.insertItem, { label: "served-during-read-loop" });
        expect(await ws.query(ref.ping, {})).toMatchObject({ pong: true });
        if (!loopSettled) latencies.push(performance.now() - started);
      }
      // A round trip takes a few ms, so dozens fit in the loop's second; with this
      // thread stuck serving the loop, a dozen at most got through.
      expect(latencies.length).toBeGreaterThanOrEqual(20);
      // Far below the loop's 1 s: nobody waits for it to end. Generous for a busy CI machine.
      expect(Math.max(...latencies)).toBeLessThan(300);
      expect(await loop).toContain(TIMEOUT_TEXT);
    } finally {
      await ws.close();
    }
  }, 30_000);

  it("rolls back a mutation that runs past its limit, and keeps committing others", async () => {
    const looping = http.mutation(ref.insertThenLoop, { label: "looped" }).then(
      () => "committed",
      (error: Error) => error.message,
    );
    const other = http.mutation(ref.insertItem, { label: "after-loop" });
    expect(await looping).toContain(TIMEOUT_TEXT);
    await other;
    expect(await http.query(ref.countLabel, { label: "looped" })).toBe(0);
    expect(await http.query(ref.countLabel, { label: "after-loop" })).toBe(1);
  }, 30_000);
});

describe("refused in queries and mutations", () => {
  it("refuses fetch in a mutation and rolls it back, even when the function catches the error", async () => {
    for (const catchIt of [false, true]) {
      const error = await http.mutation(ref.fetchInMutation, { catchIt }).then(
        () => null,
        (thrown: Error) => thrown.message,
      );
      expect(error).toContain("Can't use fetch() in queries and mutations. Please consider using an action.");
    }
    expect(await http.query(ref.countLabel, { label: "fetch" })).toBe(0);
  });

  it("refuses setTimeout in a mutation", async () => {
    await expect(http.mutation(ref.timerInMutation, {})).rejects.toThrow("Can't use setTimeout in queries and mutations.");
  });
});

describe("determinism", () => {
  it("seeds Math.random per execution: one run follows one seed, two runs differ", async () => {
    const first = (await http.mutation(ref.randoms, {})) as number[];
    const second = (await http.mutation(ref.randoms, {})) as number[];
    expect(new Set(first).size).toBe(4);
    expect(second).not.toEqual(first);
    const seedOf = (values: number[]) => seeds.find((seed) => JSON.stringify(sequenceOf(seed, values.length)) === JSON.stringify(values));
    expect(seedOf(first)).toBeDefined();
    expect(seedOf(second)).toBeDefined();
    expect(seedOf(first)).not.toBe(seedOf(second));
  });

  it("continues the caller's sequence in a nested query", async () => {
    const values = (await http.query(ref.nestedRandoms, {})) as number[];
    const seed = seeds.find((candidate) => JSON.stringify(sequenceOf(candidate, 4)) === JSON.stringify(values));
    expect(seed).toBeDefined();
  });

  it("shows a function its component's variables as process.env, a fresh copy per execution", async () => {
    for (let run = 0; run < 2; run++) {
      const view = (await http.query(ref.envView, {})) as Record<string, unknown>;
      expect(view).toMatchObject({ before: null, after: "written", cloudUrl: backend.urls.cloudUrl, backendPath: null });
      expect(view.keys).toEqual(["CONVEX_CLOUD_URL", "CONVEX_SITE_URL", "ISOLATION_PROBE"]);
    }
  });

  it("freezes Date.now() and new Date() for the execution, and captures console output", async () => {
    const before = Date.now();
    const outcome = await backend.engine.runQuery({ udfPath: "isolation:clock", args: {}, auth: { kind: "none" } });
    expect(outcome.success).toBe(true);
    const value = outcome.success ? (outcome.value as Record<string, number>) : {};
    expect(value.first).toBeGreaterThanOrEqual(before);
    expect(value.constructed).toBe(value.first);
    expect(value.later).toBe(value.first);
    expect(value.laterConstructed).toBe(value.first);
    expect(value.explicit).toBe(5);
    expect(outcome.logLines).toEqual(["[LOG] 'clock read'"]);
  });
});
