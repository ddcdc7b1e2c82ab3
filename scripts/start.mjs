#!/usr/bin/env node
// `npm start`: runs SEMS offline on this machine. Starts the embedded backend
// on .data/, deploys convex/ to it with the real Convex CLI, and prints where
// everything is. Stops everything on Ctrl-C.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dataDir = path.resolve(process.env.SEMS_DATA_DIR ?? path.join(root, ".data"));
const host = process.env.SEMS_HOST ?? "127.0.0.1";
const port = Number(process.env.SEMS_PORT ?? 3210);
const sitePort = Number(process.env.SEMS_SITE_PORT ?? port + 1);
const convexBin = path.join(root, "node_modules", "convex", "bin", "main.js");
const backendBin = path.join(root, "backend", "bin", "sems-backend.mjs");

function log(line) {
  console.log(`[sems] ${line}`);
}

/** Starts the backend and resolves once it prints that it is ready. */
function startBackend() {
  const child = spawn(process.execPath, [backendBin, "start", "--data", dataDir, "--host", host, "--port", String(port), "--site-port", String(sitePort)], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stderr.pipe(process.stderr);
  return new Promise((resolve, reject) => {
    let ready = false;
    let buffered = "";
    child.stdout.on("data", (chunk) => {
      process.stdout.write(chunk);
      if (ready) return;
      buffered += chunk.toString();
      if (buffered.includes("SEMS backend ready.")) {
        ready = true;
        resolve(child);
      }
    });
    child.once("exit", (code) => {
      if (!ready) reject(new Error(`The backend exited before it was ready (exit code ${code}).`));
    });
  });
}

function run(command, args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(args[0] ?? command)} ${args.slice(1).join(" ")} exited with code ${code}`))));
  });
}

async function main() {
  fs.mkdirSync(dataDir, { recursive: true });
  const backend = await startBackend();
  const stop = () => backend.kill("SIGTERM");
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  backend.once("exit", (code) => process.exit(code ?? 0));

  const adminKey = fs.readFileSync(path.join(dataDir, "admin_key"), "utf8").trim();
  const cloudUrl = `http://${host}:${port}`;
  const cliEnv = {
    CONVEX_SELF_HOSTED_URL: cloudUrl,
    CONVEX_SELF_HOSTED_ADMIN_KEY: adminKey,
    CONVEX_DEPLOYMENT: "",
    // Offline: the CLI's update check and error reporting go to our backend, not the internet.
    CONVEX_VERSION_API_ORIGIN: cloudUrl,
    CONVEX_PROVISION_HOST: cloudUrl,
  };
  log("Deploying convex/ with the Convex CLI…");
  await run(process.execPath, [convexBin, "deploy", "--yes"], cliEnv);

  log("SEMS is running.");
  log(`  Convex API:    ${cloudUrl}`);
  log(`  HTTP actions:  http://${host}:${sitePort}`);
  log(`  Admin key:     ${path.join(dataDir, "admin_key")}`);
  log("Press Ctrl-C to stop.");
}

main().catch((error) => {
  console.error(`[sems] ${error.message}`);
  process.exit(1);
});
