// Runs the real, unmodified Convex CLI against one of our backends, the way a
// developer would with a self-hosted deployment:
//   CONVEX_SELF_HOSTED_URL=… CONVEX_SELF_HOSTED_ADMIN_KEY=… npx convex deploy --yes
// The CLI's update check and telemetry are pointed at the backend under test
// (CONVEX_VERSION_API_ORIGIN, CONVEX_PROVISION_HOST) so a test never reaches
// outside this machine.

import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";

export interface DeployWithCliOptions {
  /** Folder holding package.json and convex/ (its node_modules must resolve `convex`). */
  projectDir: string;
  /** The backend's API origin, e.g. "http://127.0.0.1:3210". */
  url: string;
  adminKey: string;
  /** CLI arguments; default `["deploy", "--yes"]`. E.g. `["dev", "--once"]`, `["codegen"]`. */
  args?: string[];
  /** Resolve (with the exit code) instead of rejecting when the CLI fails. */
  allowFailure?: boolean;
  /** Kill the CLI after this long; default 120 s (it bundles and typechecks). */
  timeoutMs?: number;
  /** Extra environment variables for the CLI. */
  env?: Record<string, string>;
}

export interface CliResult {
  stdout: string;
  stderr: string;
  exitCode: number | null;
}

const require = createRequire(import.meta.url);

/** `node_modules/convex/bin/main.js` of the convex version the repo pins. */
export function convexCliPath(): string {
  return path.join(path.dirname(require.resolve("convex/package.json")), "bin", "main.js");
}

/** Environment for the CLI: the parent's, minus anything naming another deployment. */
function cliEnvironment(options: DeployWithCliOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) {
    if (name.startsWith("CONVEX_") || name === "VITEST" || name.startsWith("VITEST_")) delete env[name];
  }
  return {
    ...env,
    CONVEX_SELF_HOSTED_URL: options.url,
    CONVEX_SELF_HOSTED_ADMIN_KEY: options.adminKey,
    // The update check would call version.convex.dev; our backend answers /v1/version.
    CONVEX_VERSION_API_ORIGIN: options.url,
    // A non-production provision host also keeps the CLI's Sentry reporting off.
    CONVEX_PROVISION_HOST: options.url,
    NO_COLOR: "1",
    FORCE_COLOR: "0",
    ...options.env,
  };
}

export async function deployWithCli(options: DeployWithCliOptions): Promise<CliResult> {
  const args = options.args ?? ["deploy", "--yes"];
  const child = spawn(process.execPath, [convexCliPath(), ...args], {
    cwd: options.projectDir,
    env: cliEnvironment(options),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const timeoutMs = options.timeoutMs ?? 120_000;
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`convex ${args.join(" ")} did not finish within ${timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
  if (exitCode !== 0 && !options.allowFailure) {
    throw new Error(`convex ${args.join(" ")} exited with ${exitCode}\nstdout:\n${stdout}\nstderr:\n${stderr}`);
  }
  return { stdout, stderr, exitCode };
}
