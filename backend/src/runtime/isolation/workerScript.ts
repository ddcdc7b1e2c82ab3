// Where the isolation worker's script is. The built backend ships it as
// `dist/isolationWorker.js` (backend/build.mjs). Run from TypeScript sources
// (Vitest), there is no such file and Node cannot start a `.ts` worker, so the
// worker is bundled once per process with esbuild into a temporary file.
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

let cached: Promise<string> | undefined;

export function isolationWorkerScript(): Promise<string> {
  return (cached ??= locate());
}

async function locate(): Promise<string> {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const built = path.join(here, "isolationWorker.js");
  if (existsSync(built)) return built;
  const source = path.join(here, "workerMain.ts");
  const esbuild = await import("esbuild");
  const result = await esbuild.build({
    entryPoints: [source],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    write: false,
    logLevel: "silent",
  });
  const dir = mkdtempSync(path.join(os.tmpdir(), "sems-isolation-"));
  const file = path.join(dir, "isolationWorker.mjs");
  writeFileSync(file, result.outputFiles[0]!.text);
  return file;
}
