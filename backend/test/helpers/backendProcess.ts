// Runs the real `sems-backend` as a child process on a temporary data
// directory, as a school server would: for protocol, restart and kill -9 tests.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const backendDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const BACKEND_BIN = path.join(backendDir, "bin", "sems-backend.mjs");

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface BackendProcess {
  url: string;
  siteUrl: string;
  adminKey: string;
  dataDir: string;
  port: number;
  sitePort: number;
  child: ChildProcess;
  output: () => string;
  /** SIGTERM and wait for exit. */
  stop(): Promise<number | null>;
  /** SIGKILL and wait for exit. */
  kill(): Promise<void>;
}

export interface StartOptions {
  dataDir?: string;
  port?: number;
  sitePort?: number;
  adminKey?: string;
  env?: Record<string, string>;
}

export function tempDataDir(prefix = "sems-backend-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function startBackendProcess(options: StartOptions = {}): Promise<BackendProcess> {
  const dataDir = options.dataDir ?? tempDataDir();
  const port = options.port ?? (await freePort());
  const sitePort = options.sitePort ?? (await freePort());
  const args = [BACKEND_BIN, "start", "--data", dataDir, "--port", String(port), "--site-port", String(sitePort)];
  if (options.adminKey) args.push("--admin-key", options.adminKey);
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...options.env } });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`backend did not start in time:\n${output}`)), 15_000);
    const check = () => {
      if (output.includes("SEMS backend ready.")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on("data", check);
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`backend exited with ${code} before it was ready:\n${output}`));
    });
  });
  const adminKey = options.adminKey ?? fs.readFileSync(path.join(dataDir, "admin_key"), "utf8").trim();
  return {
    url: `http://127.0.0.1:${port}`,
    siteUrl: `http://127.0.0.1:${sitePort}`,
    adminKey,
    dataDir,
    port,
    sitePort,
    child,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      return exited;
    },
    async kill() {
      if (child.exitCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}
