// HTTP action throughput: requests per second for a trivial JSON route on the
// backend's site port, with 64 concurrent keep-alive connections, beside a
// bare Node `http` server answering the same JSON (the physical reference on
// this machine). Median of several runs; one JSON line per measurement.
//
//   node bench/backend/httpActions.mjs [--runs 5] [--seconds 3] [--concurrency 64]
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { deploy, root, startBackend } from "../lib/backend.mjs";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "5" },
    seconds: { type: "string", default: "3" },
    concurrency: { type: "string", default: "64" },
  },
});
const RUNS = Number(values.runs);
const SECONDS = Number(values.seconds);
const CONCURRENCY = Number(values.concurrency);
const BODY = JSON.stringify({ ok: true, n: 1 });

/** A one-route app written to a temp folder (no codegen needed: it imports convex/server directly). */
function writeApp() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sems-bench-http-"));
  fs.mkdirSync(path.join(dir, "convex"));
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "bench-http", private: true, type: "module", dependencies: { convex: "1.48.0" } }));
  fs.writeFileSync(
    path.join(dir, "convex", "http.js"),
    `import { httpActionGeneric, httpRouter } from "convex/server";
const http = httpRouter();
http.route({ path: "/json", method: "GET", handler: httpActionGeneric(async () => new Response(${JSON.stringify(BODY)}, { headers: { "content-type": "application/json" } })) });
export default http;
`,
  );
  fs.symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"), "dir");
  return dir;
}

/** Runs `CONCURRENCY` request loops on keep-alive connections for `SECONDS`; returns requests/s. */
async function measure(url) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const deadline = performance.now() + SECONDS * 1000;
  let completed = 0;
  let failed = 0;
  const once = () =>
    new Promise((resolve) => {
      const request = http.get(url, { agent }, (response) => {
        let size = 0;
        response.on("data", (chunk) => (size += chunk.length));
        response.on("end", () => {
          if (response.statusCode === 200 && size === BODY.length) completed++;
          else failed++;
          resolve();
        });
      });
      request.on("error", () => {
        failed++;
        resolve();
      });
    });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < deadline) await once();
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  return { rps: completed / elapsed, failed };
}

function median(numbers) {
  const sorted = [...numbers].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function series(name, url) {
  await measure(url); // warm-up: JIT, connections
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const { rps, failed } = await measure(url);
    if (failed > 0) throw new Error(`${name}: ${failed} requests failed`);
    runs.push(Math.round(rps));
  }
  const line = { bench: "httpActions", target: name, concurrency: CONCURRENCY, seconds: SECONDS, runs, medianRps: median(runs) };
  console.log(JSON.stringify(line));
  return line;
}

// The reference: a bare Node server in its own process, so it does not share this client's CPU time slice.
const reference = await new Promise((resolve, reject) => {
  const child = spawn(
    process.execPath,
    ["-e", `require("node:http").createServer((q, s) => { s.writeHead(200, { "content-type": "application/json" }); s.end(${JSON.stringify(BODY)}); }).listen(0, "127.0.0.1", function () { console.log(this.address().port); });`],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  child.stdout.once("data", (port) => resolve({ child, url: `http://127.0.0.1:${String(port).trim()}/json` }));
  child.once("error", reject);
});

const backend = await startBackend();
const appDir = writeApp();
try {
  deploy(backend, appDir);
  const nodeLine = await series("node-http", reference.url);
  const backendLine = await series("sems-backend", `${backend.siteUrl}/json`);
  console.log(
    JSON.stringify({
      bench: "httpActions",
      summary: true,
      targetRps: 3000,
      backendMedianRps: backendLine.medianRps,
      nodeMedianRps: nodeLine.medianRps,
      ratioToNode: Number((backendLine.medianRps / nodeLine.medianRps).toFixed(3)),
      meetsTarget: backendLine.medianRps >= 3000,
      cpus: os.cpus().length,
    }),
  );
} finally {
  reference.child.kill();
  await backend.stop();
  fs.rmSync(appDir, { recursive: true, force: true });
}
