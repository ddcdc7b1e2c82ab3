// For comparison (issue 2): the same indexed range query (100 documents) through
// the official convex-test package, at 100,000 documents. convex-test keeps
// documents in memory and sorts a table per query, so it is the reference for
// semantics, not speed.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { convexTest } from "convex-test";
import { makeFunctionReference } from "convex/server";
import { median, root } from "../lib/backend.mjs";

const DOCS = Number(process.env.BENCH_DOCS ?? 100_000);
const appDir = path.join(root, "bench", "app", "convex");
// Inside the repo so the bundles resolve `convex` from its node_modules.
fs.mkdirSync(path.join(root, ".data"), { recursive: true });
const out = fs.mkdtempSync(path.join(root, ".data", "convex-test-bench-"));
const entries = fs.readdirSync(appDir).filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"));
await build({
  entryPoints: entries.map((f) => path.join(appDir, f)),
  outdir: path.join(out, "convex"),
  bundle: true,
  format: "esm",
  platform: "node",
  packages: "external",
  logLevel: "warning",
});
fs.mkdirSync(path.join(out, "convex", "_generated"), { recursive: true });
for (const f of ["api.js", "server.js"]) fs.copyFileSync(path.join(appDir, "_generated", f), path.join(out, "convex", "_generated", f));
const modules = {};
for (const file of [...entries.map((f) => f.replace(/\.ts$/, ".js")), "_generated/api.js", "_generated/server.js"]) {
  modules[`./convex/${file}`] = () => import(pathToFileURL(path.join(out, "convex", file)).href);
}
const schema = (await modules["./convex/schema.js"]()).default;
const t = convexTest(schema, modules);

const insertBatch = makeFunctionReference("bench:insertBatch");
const range = makeFunctionReference("bench:range");
const loadStarted = performance.now();
for (let first = 0; first < DOCS; first += 10_000) {
  await t.mutation(insertBatch, { firstSeq: first, count: Math.min(10_000, DOCS - first), groupSize: 1000 });
}
const loadSeconds = (performance.now() - loadStarted) / 1000;

const medians = [];
for (let run = 0; run < 5; run++) {
  const times = [];
  for (let i = 0; i < 20; i++) {
    const group = Math.floor(Math.random() * (DOCS / 1000));
    const t0 = performance.now();
    const rows = await t.query(range, { group, from: group * 1000 + 5, n: 100 });
    times.push(performance.now() - t0);
    if (rows.length !== 100) throw new Error(`expected 100 rows, got ${rows.length}`);
  }
  medians.push(median(times));
}
fs.rmSync(out, { recursive: true, force: true });
console.log(JSON.stringify({ benchmark: "range-query-convex-test", docs: DOCS, loadSeconds: +loadSeconds.toFixed(1), medianMs: +median(medians).toFixed(2) }));
