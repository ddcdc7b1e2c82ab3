// Runs the TypeScript demo tools on plain Node 20: esbuild (already a dependency) bundles
// scripts/demo/cli.ts into node_modules/.cache, then Node imports the result.
import { build } from "esbuild";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const outfile = join(root, "node_modules", ".cache", "sems-demo", "cli.mjs");
await build({
  entryPoints: [join(here, "cli.ts")],
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  outfile,
  packages: "external",
  logLevel: "warning",
});
await import(pathToFileURL(outfile).href);
