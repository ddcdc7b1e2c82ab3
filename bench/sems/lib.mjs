// The SEMS benchmark district on the embedded backend: a data directory under .data/ holding
// convex/ (deployed with the real CLI) and a demo district loaded with the demo loader
// (scripts/demo/run.mjs load). Loaded once; later runs reuse it (`district.json` records how
// the load went). Clients act as SEMS users through the admin key until Better Auth JWTs land.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { ConvexHttpClient } from "convex/browser";
import { callInternal, median, percentile, root, startBackend } from "../lib/backend.mjs";

export { callInternal };

export { median, percentile, root };
const convexBin = path.join(root, "node_modules", "convex", "bin", "main.js");

export const STUDENTS = Number(process.env.SEMS_BENCH_STUDENTS ?? 10_000);
export const SEED = 7;
export const dataDir = path.join(root, ".data", `sems-bench-${STUDENTS}`);
const recordPath = path.join(dataDir, "district.json");
const progressPath = path.join(dataDir, "load-progress.json");

function cli(backend, args) {
  const result = spawnSync(process.execPath, [convexBin, ...args], {
    cwd: root,
    env: {
      ...process.env,
      CONVEX_SELF_HOSTED_URL: backend.url,
      CONVEX_SELF_HOSTED_ADMIN_KEY: backend.adminKey,
      CONVEX_VERSION_API_ORIGIN: backend.url,
      CONVEX_PROVISION_HOST: backend.url,
      CONVEX_DEPLOYMENT: "",
    },
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`convex ${args[0]} failed: ${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

function encryptionKeys() {
  const keyFile = path.join(dataDir, "sems_encryption_keys");
  if (!fs.existsSync(keyFile)) {
    const out = spawnSync(process.execPath, ["scripts/demo/run.mjs", "keygen", "bench"], { cwd: root, encoding: "utf8" });
    fs.writeFileSync(keyFile, out.stdout.trim(), { mode: 0o600 });
  }
  return fs.readFileSync(keyFile, "utf8").trim();
}

/**
 * Documents of SEMS's tables in the data directory (the app's tables, not system ones), read from
 * the backend's SQLite file directly: how far a load got, also when it was interrupted.
 */
export function countDocuments(dir = dataDir) {
  const db = new Database(path.join(dir, "convex.sqlite3"), { readonly: true });
  try {
    const row = db
      .prepare("SELECT count(*) AS n FROM documents d JOIN tables t ON t.table_number = d.table_number WHERE t.component = '' AND t.name NOT LIKE '\\_%' ESCAPE '\\'")
      .get();
    return row.n;
  } finally {
    db.close();
  }
}

async function runLoader(backend) {
  const args = ["scripts/demo/run.mjs", "load", "--students", String(STUDENTS), "--seed", String(SEED), "--if-empty", "--url", backend.url, "--admin-key", backend.adminKey];
  const child = spawn(process.execPath, args, { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
  let output = "";
  const started = performance.now();
  child.stdout.setEncoding("utf8").on("data", (chunk) => {
    output += chunk;
    if (process.env.SEMS_BENCH_VERBOSE) process.stderr.write(chunk);
    // How far the load got, kept on disk so an interrupted load still says so.
    const counts = [...chunk.matchAll(/(\d+) documents loaded/g)];
    if (counts.length > 0) {
      const documents = Number(counts[counts.length - 1][1]);
      fs.writeFileSync(progressPath, JSON.stringify({ documents, seconds: (performance.now() - started) / 1000 }));
    }
  });
  const code = await new Promise((resolve) => child.on("close", resolve));
  if (code !== 0) throw new Error(`demo loader exited with ${code}: ${output.slice(-2000)}`);
  return output;
}

/**
 * Starts the backend on the benchmark data directory and deploys convex/; sets the keys and loads
 * the district first if that was never done. Returns the backend and the load record.
 */
export async function openDistrict() {
  fs.mkdirSync(dataDir, { recursive: true });
  const backend = await startBackend({ dataDir });
  // Every run measures the convex/ of the working tree (a push of unchanged code changes nothing).
  cli(backend, ["deploy", "--yes", "--typecheck", "disable", "--codegen", "disable"]);
  if (!fs.existsSync(recordPath)) {
    cli(backend, ["env", "set", "SEMS_ENCRYPTION_KEYS", encryptionKeys()]);
    const started = performance.now();
    const output = (await runLoader(backend)).replace(/\r[^\n]*/g, "");
    const seconds = (performance.now() - started) / 1000;
    const match = /Loaded (\d+) documents in (\d+) batches/.exec(output);
    let record;
    if (match) {
      const documents = Number(match[1]);
      record = { students: STUDENTS, seed: SEED, complete: true, documents, seconds, documentsPerSecond: documents / seconds };
    } else {
      // --if-empty refused: an earlier load into this directory was interrupted. Say how far it got.
      const progress = fs.existsSync(progressPath) ? JSON.parse(fs.readFileSync(progressPath, "utf8")) : null;
      const documents = countDocuments();
      record = { students: STUDENTS, seed: SEED, complete: false, documents, seconds: progress?.seconds ?? null, documentsPerSecond: progress ? progress.documents / progress.seconds : null };
    }
    fs.writeFileSync(recordPath, JSON.stringify({ ...record, loadedAt: new Date().toISOString() }, null, 2));
  }
  return { backend, district: JSON.parse(fs.readFileSync(recordPath, "utf8")) };
}

/** ConvexHttpClient on which the admin key acts as the user with this email (setAdminAuth is internal to convex). */
export function clientAs(backend, email) {
  const client = new ConvexHttpClient(backend.url, { logger: false });
  client.setAdminAuth(backend.adminKey, { subject: email, issuer: "https://auth.sems.test", email });
  return client;
}

/** Runs `call` `warmup` times unmeasured, then `runs` times; milliseconds per call. */
export async function measure(call, { warmup = 5, runs = 30 } = {}) {
  for (let i = 0; i < warmup; i++) await call();
  const times = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await call();
    times.push(performance.now() - started);
  }
  const sorted = [...times].sort((a, b) => a - b);
  return { medianMs: round(percentile(sorted, 50)), p90Ms: round(percentile(sorted, 90)), minMs: round(sorted[0]), runs };
}

export const round = (ms) => Math.round(ms * 100) / 100;

/**
 * The backend's own median for one function (its admin metrics, last five minutes): the time the
 * function ran, without the HTTP transfer and the client's decoding of the result.
 */
export async function serverMedianMs(backend, functionName) {
  const response = await fetch(`${backend.url}/api/sems/metrics`, { headers: { authorization: `Convex ${backend.adminKey}` } });
  const body = await response.json();
  const entry = body.functions.find((f) => f.function === functionName);
  return entry?.window.p50Ms == null ? null : round(entry.window.p50Ms);
}

export function printJson(line) {
  console.log(JSON.stringify(line));
}
