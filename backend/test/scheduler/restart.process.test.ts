// Scheduled jobs and crons through the real backend process and the real CLI:
// a job pending when the backend is SIGKILLed runs exactly once after the
// restart (it fell due while the backend was down); a 1-second cron fires,
// and across a kill -9 no cron run is lost or doubled.
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { ConvexHttpClient } from "convex/browser";
import { makeFunctionReference } from "convex/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBackendProcess, tempDataDir, type BackendProcess } from "../helpers/backendProcess.js";
import { deployWithCli } from "../helpers/deployWithCli.js";
import { copyFixtureProject, type TempProject } from "../helpers/fixtureProject.js";

const appDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "app");
const scheduleRecord = makeFunctionReference<"mutation">("jobs:scheduleRecord");
const events = makeFunctionReference<"query">("jobs:events");
const job = makeFunctionReference<"query">("jobs:job");

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out; last value ${JSON.stringify(value)}`);
    await sleep(50);
  }
}

/** Reads the stopped backend's database directly: what survived the kill. */
function readStore(dataDir: string): { cronEvents: number; cronRuns: number } {
  const db = new Database(path.join(dataDir, "convex.sqlite3"), { readonly: true, fileMustExist: true });
  try {
    const cronRuns = (db.prepare("SELECT runs FROM cron_jobs WHERE name = 'tick every second'").get() as { runs: number }).runs;
    const rows = db.prepare("SELECT json FROM documents").all() as { json: string }[];
    const cronEvents = rows.filter((row) => JSON.parse(row.json).label === "cron").length;
    return { cronEvents, cronRuns };
  } finally {
    db.close();
  }
}

let project: TempProject;
let backend: BackendProcess;
let dataDir: string;

beforeAll(async () => {
  project = copyFixtureProject(appDir);
  dataDir = tempDataDir("sems-scheduler-");
  backend = await startBackendProcess({ dataDir });
  await deployWithCli({ projectDir: project.dir, url: backend.url, adminKey: backend.adminKey, args: ["deploy", "--yes", "--typecheck", "disable"] });
}, 180_000);

afterAll(async () => {
  await backend?.stop();
  project?.remove();
});

describe("scheduler and crons in the real backend", () => {
  it("fires the 1-second interval cron, recording each run exactly once", async () => {
    const client = new ConvexHttpClient(backend.url);
    const count = await until(() => client.query(events, { label: "cron" }), (n: number) => n >= 2, 8_000);
    expect(count).toBeGreaterThanOrEqual(2);
  });

  it("runs a job that fell due while the backend was killed exactly once after restart; crons neither lose nor double runs", async () => {
    let client = new ConvexHttpClient(backend.url);
    const id = await client.mutation(scheduleRecord, { label: "survivor", delayMs: 1200 });
    expect((await client.query(job, { id })).state).toEqual({ kind: "pending" });
    await backend.kill();

    const beforeRestart = readStore(dataDir);
    // Every cron run committed its effect with its bookkeeping.
    expect(beforeRestart.cronEvents).toBe(beforeRestart.cronRuns);
    await sleep(3000); // the job falls due and three cron runs are missed while down

    backend = await startBackendProcess({ dataDir, adminKey: backend.adminKey });
    client = new ConvexHttpClient(backend.url);
    await until(() => client.query(events, { label: "survivor" }), (n: number) => n === 1);
    const done = await client.query(job, { id });
    expect(done.state).toEqual({ kind: "success" });
    expect(done.completedTime).toBeGreaterThan(done.scheduledTime);
    await sleep(1500);
    expect(await client.query(events, { label: "survivor" })).toBe(1);

    // The missed cron runs collapsed into one catch-up run at start, not three.
    const cronAfter = await client.query(events, { label: "cron" });
    expect(cronAfter - beforeRestart.cronEvents).toBeGreaterThanOrEqual(1);
    expect(cronAfter - beforeRestart.cronEvents).toBeLessThanOrEqual(3);
    await backend.kill();
    const afterKill = readStore(dataDir);
    expect(afterKill.cronEvents).toBe(afterKill.cronRuns);
    backend = await startBackendProcess({ dataDir, adminKey: backend.adminKey });
  }, 60_000);

  it("a redeploy without the cron stops it", async () => {
    const fs = await import("node:fs");
    fs.writeFileSync(path.join(project.dir, "convex", "crons.ts"), 'import { cronJobs } from "convex/server";\nexport default cronJobs();\n');
    await deployWithCli({ projectDir: project.dir, url: backend.url, adminKey: backend.adminKey, args: ["deploy", "--yes", "--typecheck", "disable"] });
    const client = new ConvexHttpClient(backend.url);
    const stopped = await client.query(events, { label: "cron" });
    await sleep(2200);
    expect(await client.query(events, { label: "cron" })).toBe(stopped);
  }, 120_000);
});
