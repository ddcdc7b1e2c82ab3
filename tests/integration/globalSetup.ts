// Once for the whole integration project: start a real sems-backend (fresh data directory), give
// its functions SEMS_ENCRYPTION_KEYS (D14), deploy convex/ with the real Convex CLI (typecheck
// enforced, codegen off so a test run never rewrites convex/_generated), and load a small demo
// district with the demo loader, twice, the second time refused by --if-empty.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";
import { startBackendProcess, type BackendProcess } from "../../backend/test/helpers/backendProcess";
import { deployWithCli } from "../../backend/test/helpers/deployWithCli";
import { generateEncryptionKeySpec } from "../../convex/model/crypto";
import type { SemsBackendInfo } from "./semsBackend";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const DEMO_STUDENTS = 6;

declare module "vitest" {
  export interface ProvidedContext {
    demoLoads: string[];
  }
}

async function runDemoLoader(backend: SemsBackendInfo): Promise<string> {
  const args = ["scripts/demo/run.mjs", "load", "--students", String(DEMO_STUDENTS), "--if-empty", "--url", backend.url, "--admin-key", backend.adminKey];
  const child = spawn(process.execPath, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  if (code !== 0) throw new Error(`demo loader exited with ${code}:\n${output}`);
  return output;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const encryptionKeys = generateEncryptionKeySpec("integration");
  let process_: BackendProcess | undefined;
  try {
    // Until `npx convex env set` reaches functions, the backend's own environment does.
    process_ = await startBackendProcess({ env: { SEMS_ENCRYPTION_KEYS: encryptionKeys } });
    const backend: SemsBackendInfo = { url: process_.url, siteUrl: process_.siteUrl, adminKey: process_.adminKey, encryptionKeys };
    const cli = { projectDir: root, url: backend.url, adminKey: backend.adminKey, timeoutMs: 180_000 };
    await deployWithCli({ ...cli, args: ["deploy", "--yes", "--typecheck", "enable", "--codegen", "disable"] });
    await deployWithCli({ ...cli, args: ["env", "set", "SEMS_ENCRYPTION_KEYS", encryptionKeys] });
    const demoLoads = [await runDemoLoader(backend), await runDemoLoader(backend)];
    project.provide("semsBackend", backend);
    project.provide("demoLoads", demoLoads);
  } catch (error) {
    const output = process_?.output() ?? "";
    await process_?.kill();
    throw new Error(`${error instanceof Error ? error.message : String(error)}\nbackend output:\n${output.slice(-4000)}`);
  }
  const started = process_;
  return async () => {
    await started.stop();
    fs.rmSync(started.dataDir, { recursive: true, force: true });
  };
}
