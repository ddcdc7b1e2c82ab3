// Starts a real sems-backend process on a temporary data directory and deploys
// the benchmark app to it with the real Convex CLI.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const backendBin = path.join(root, "backend", "bin", "sems-backend.mjs");
const convexBin = path.join(root, "node_modules", "convex", "bin", "main.js");

export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** BENCH_BACKEND_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", profiles the backend under a benchmark. */
const defaultNodeArgs = (process.env.BENCH_BACKEND_NODE_ARGS ?? "").split(" ").filter(Boolean);

export async function startBackend({ dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sems-bench-")), nodeArgs = defaultNodeArgs } = {}) {
  const port = await freePort();
  const sitePort = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, backendBin, "start", "--data", dataDir, "--port", String(port), "--site-port", String(sitePort)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
      if (out.includes("SEMS backend ready.")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`backend exited (${code}) before ready: ${out}`)));
  });
  const readyMs = performance.now() - started;
  const adminKey = fs.readFileSync(path.join(dataDir, "admin_key"), "utf8").trim();
  return {
    url: `http://127.0.0.1:${port}`,
    siteUrl: `http://127.0.0.1:${sitePort}`,
    adminKey,
    dataDir,
    readyMs,
    pid: child.pid,
    child,
    async stop() {
      child.kill("SIGTERM");
      await new Promise((resolve) => child.once("exit", resolve));
    },
  };
}

export function deploy(backend, projectDir = path.join(root, "bench", "app")) {
  const result = spawnSync(process.execPath, [convexBin, "deploy", "--yes", "--typecheck", "disable", "--codegen", "disable"], {
    cwd: projectDir,
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
  if (result.status !== 0) throw new Error(`deploy failed: ${result.stdout}\n${result.stderr}`);
}

/** Resident memory of a process in MB, from /proc. */
export function rssMb(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)[1]);
  return kb / 1024;
}

export function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)];
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return percentile(sorted, 50);
}

/** An internal function with the admin key, as `npx convex run` calls it. */
export async function callInternal(backend, name, args) {
  const response = await fetch(`${backend.url}/api/function`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Convex ${backend.adminKey}` },
    body: JSON.stringify({ path: name, args, format: "json" }),
  });
  const body = await response.json();
  if (body.status !== "success") throw new Error(`${name} failed: ${JSON.stringify(body)}`);
  return body.value;
}
