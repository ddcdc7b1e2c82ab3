#!/usr/bin/env node
// `npm start`: runs SEMS offline on this machine. Starts the embedded backend
// on .data/, deploys convex/ to it with the real Convex CLI, loads the demo
// district on first run, builds the web app and serves it, and prints where
// everything is and the demo sign-ins. Stops everything on Ctrl-C.
// Environment: SEMS_DATA_DIR, SEMS_HOST, SEMS_PORT, SEMS_SITE_PORT, SEMS_WEB_PORT,
// SEMS_DEMO=0 (no demo district), SEMS_WEB=0 (no web app), SEMS_WEB_BUILD=0 (serve
// the existing dist/ without rebuilding).
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { precompress, startWebServer } from "./webServer.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dataDir = path.resolve(process.env.SEMS_DATA_DIR ?? path.join(root, ".data"));
const host = process.env.SEMS_HOST ?? "127.0.0.1";
const port = Number(process.env.SEMS_PORT ?? 3210);
const sitePort = Number(process.env.SEMS_SITE_PORT ?? port + 1);
const convexBin = path.join(root, "node_modules", "convex", "bin", "main.js");
const backendBin = path.join(root, "backend", "bin", "sems-backend.mjs");
const webPort = Number(process.env.SEMS_WEB_PORT ?? 5173);
const demoBin = path.join(root, "scripts", "demo", "run.mjs");
const viteBin = path.join(root, "node_modules", "vite", "bin", "vite.js");

function log(line) {
  console.log(`[sems] ${line}`);
}

/** Starts the backend and resolves once it prints that it is ready. */
function startBackend(encryptionKeys) {
  const child = spawn(process.execPath, [backendBin, "start", "--data", dataDir, "--host", host, "--port", String(port), "--site-port", String(sitePort)], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    // D14: the functions' SEMS_ENCRYPTION_KEYS, also set with `convex env set` below.
    env: { ...process.env, SEMS_ENCRYPTION_KEYS: encryptionKeys },
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

/** A random secret made once per data directory (Better Auth signs sessions with it). */
function secretFor(directory, name) {
  const file = path.join(directory, name);
  if (!fs.existsSync(file)) fs.writeFileSync(file, crypto.randomBytes(32).toString("base64url") + "\n", { mode: 0o600 });
  return fs.readFileSync(file, "utf8").trim();
}

/** The deployment's encryption keys, made once per data directory and kept beside the data. */
async function encryptionKeysFor(directory) {
  const file = path.join(directory, "encryption_keys");
  if (!fs.existsSync(file)) {
    const output = await capture(process.execPath, [demoBin, "keygen"]);
    fs.writeFileSync(file, output.trim() + "\n", { mode: 0o600 });
  }
  return fs.readFileSync(file, "utf8").trim();
}

function capture(command, args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, ...env } });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (chunk) => (output += chunk));
    child.once("exit", (code) => (code === 0 ? resolve(output) : reject(new Error(`${path.basename(args[0] ?? command)} exited with code ${code}`))));
  });
}

/** Like run(), and also returns what the command printed. */
function runTee(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (chunk) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    child.once("exit", (code) => (code === 0 ? resolve(output) : reject(new Error(`${path.basename(args[0] ?? command)} exited with code ${code}`))));
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
  const encryptionKeys = await encryptionKeysFor(dataDir);
  const backend = await startBackend(encryptionKeys);
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
  const siteUrl = `http://${host}:${sitePort}`;
  const webOrigin = `http://${host}:${webPort}`;
  const setEnv = (name, value) => run(process.execPath, [convexBin, "env", "set", name, value], cliEnv);
  // Set before the push, so module top levels see them as on Convex.
  await setEnv("SEMS_ENCRYPTION_KEYS", encryptionKeys);
  // Better Auth (convex/auth.ts): the web app is the trusted origin and where mailed links point.
  await setEnv("SITE_URL", webOrigin);
  await setEnv("BETTER_AUTH_SECRET", secretFor(dataDir, "better_auth_secret"));
  log("Deploying convex/ with the Convex CLI…");
  await run(process.execPath, [convexBin, "deploy", "--yes"], cliEnv);

  let signInsShown = false;
  if (process.env.SEMS_DEMO !== "0") {
    log("Loading the demo district (first run only)…");
    const demoArgs = [demoBin, "load", "--students", "60", "--if-empty", "--url", cloudUrl, "--admin-key", adminKey];
    const withAuth = fs.existsSync(path.join(root, "convex", "auth.ts"));
    // The demo sign-ins get passwords through Better Auth's sign-up, which convex/authLinks.ts
    // opens to HTTP only while SEMS_DEMO_SIGN_UP is true: just for the loader's run.
    if (withAuth) {
      demoArgs.push("--sign-up-url", siteUrl);
      await setEnv("SEMS_DEMO_SIGN_UP", "true");
    }
    try {
      signInsShown = (await runTee(process.execPath, demoArgs)).includes("Demo sign-ins");
    } finally {
      if (withAuth) await run(process.execPath, [convexBin, "env", "remove", "SEMS_DEMO_SIGN_UP"], cliEnv);
    }
  }

  let webUrl = null;
  if (process.env.SEMS_WEB !== "0") {
    const distDir = path.join(root, "dist");
    if (process.env.SEMS_WEB_BUILD !== "0" || !fs.existsSync(path.join(distDir, "index.html"))) {
      log("Building the web app…");
      await run(process.execPath, [viteBin, "build", "--logLevel", "warn"]);
      precompress(distDir);
    }
    const web = await startWebServer({ distDir, host, port: webPort, config: { convexUrl: cloudUrl, convexSiteUrl: siteUrl } });
    webUrl = web.url;
  }

  // The loader lists the demo sign-ins after a first load; on later starts, list them here.
  if (process.env.SEMS_DEMO !== "0" && !signInsShown) process.stdout.write(await capture(process.execPath, [demoBin, "sign-ins"]));
  log("SEMS is running.");
  if (webUrl) log(`  Web app:       ${webUrl}`);
  log(`  Convex API:    ${cloudUrl}`);
  log(`  HTTP actions:  http://${host}:${sitePort}`);
  log(`  Admin key:     ${path.join(dataDir, "admin_key")}`);
  log("Press Ctrl-C to stop.");
}

main().catch((error) => {
  console.error(`[sems] ${error.message}`);
  process.exit(1);
});
