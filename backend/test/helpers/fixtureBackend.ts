// A backend process with the conformance fixture app deployed by the real CLI.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { deployWithCli } from "./deployWithCli.js";
import { startBackendProcess, type BackendProcess, type StartOptions } from "./backendProcess.js";

export const CONFORMANCE_APP_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "conformance");

export async function deployFixture(backend: BackendProcess, projectDir = CONFORMANCE_APP_DIR): Promise<void> {
  await deployWithCli({
    projectDir,
    url: backend.url,
    adminKey: backend.adminKey,
    args: ["deploy", "--yes", "--typecheck", "disable", "--codegen", "disable"],
  });
}

export async function startFixtureBackend(options: StartOptions = {}): Promise<BackendProcess> {
  const backend = await startBackendProcess(options);
  await deployFixture(backend);
  return backend;
}
