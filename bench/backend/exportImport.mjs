// Snapshot export and import of 1,000,000 documents through the unmodified
// Convex CLI (`npx convex export --path` / `npx convex import --yes`), end to
// end: request, ZIP writing/reading, upload, download and the CLI's own start.
// The table is loaded with the internal mutation `bench:insertBatch`.
// Each import goes into a fresh backend with the app deployed (the tables
// exist, so the import also renumbers them to the snapshot's table numbers).
// Prints one JSON line per run and a summary line with medians.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { deploy, median, root, startBackend } from "../lib/backend.mjs";

const DOCUMENTS = Number(process.env.BENCH_DOCUMENTS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const BATCH = 2_000;
const IN_FLIGHT = 4;
const convexBin = path.join(root, "node_modules", "convex", "bin", "main.js");
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "sems-bench-export-"));

function cli(backend, args) {
  const started = performance.now();
  const result = spawnSync(process.execPath, [convexBin, ...args], {
    cwd: path.join(root, "bench", "app"),
    env: {
      ...process.env,
      CONVEX_SELF_HOSTED_URL: backend.url,
      CONVEX_SELF_HOSTED_ADMIN_KEY: backend.adminKey,
      CONVEX_VERSION_API_ORIGIN: backend.url,
      CONVEX_PROVISION_HOST: backend.url,
      CONVEX_DEPLOYMENT: "",
      NO_COLOR: "1",
    },
    encoding: "utf8",
    maxBuffer: 64 << 20,
  });
  if (result.status !== 0) throw new Error(`convex ${args.join(" ")} failed:\n${result.stdout}\n${result.stderr}`);
  return (performance.now() - started) / 1000;
}

async function load(backend) {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < DOCUMENTS) {
        const firstSeq = next;
        const count = Math.min(BATCH, DOCUMENTS - firstSeq);
        next += count;
        const response = await fetch(`${backend.url}/api/function`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Convex ${backend.adminKey}` },
          body: JSON.stringify({ path: "bench:insertBatch", args: { firstSeq, count, groupSize: 1000 } }),
        });
        if (response.status !== 200) throw new Error(`insertBatch failed: ${await response.text()}`);
      }
    }),
  );
  return (performance.now() - started) / 1000;
}

async function count(backend) {
  const response = await fetch(`${backend.url}/api/query`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Convex ${backend.adminKey}` },
    body: JSON.stringify({ path: "_system/cli/tableData", args: { table: "items", order: "desc", paginationOpts: { cursor: null, numItems: 1 } } }),
  });
  const body = await response.json();
  return body.value.page[0]?.seq;
}

const source = await startBackend();
deploy(source);
const loadSeconds = await load(source);
console.log(JSON.stringify({ step: "load", documents: DOCUMENTS, seconds: +loadSeconds.toFixed(2), perSecond: Math.round(DOCUMENTS / loadSeconds) }));

const exportTimes = [];
const importTimes = [];
let zipBytes = 0;
for (let run = 1; run <= RUNS; run++) {
  const zip = path.join(scratch, `snapshot-${run}.zip`);
  const exportSeconds = cli(source, ["export", "--path", zip]);
  zipBytes = fs.statSync(zip).size;
  exportTimes.push(exportSeconds);
  console.log(JSON.stringify({ step: "export", run, documents: DOCUMENTS, seconds: +exportSeconds.toFixed(2), zipMB: +(zipBytes / 1e6).toFixed(1) }));

  const target = await startBackend();
  deploy(target);
  const importSeconds = cli(target, ["import", "--yes", zip]);
  const lastSeq = await count(target);
  if (lastSeq !== DOCUMENTS - 1) throw new Error(`import incomplete: last seq ${lastSeq}`);
  importTimes.push(importSeconds);
  console.log(JSON.stringify({ step: "import", run, documents: DOCUMENTS, seconds: +importSeconds.toFixed(2) }));
  await target.stop();
  fs.rmSync(target.dataDir, { recursive: true, force: true });
  fs.rmSync(zip, { force: true });
}
await source.stop();
fs.rmSync(source.dataDir, { recursive: true, force: true });
fs.rmSync(scratch, { recursive: true, force: true });
console.log(
  JSON.stringify({
    benchmark: "snapshot-export-import",
    documents: DOCUMENTS,
    runs: RUNS,
    medianExportSeconds: +median(exportTimes).toFixed(2),
    medianImportSeconds: +median(importTimes).toFixed(2),
    zipMB: +(zipBytes / 1e6).toFixed(1),
  }),
);
