// Bundles the backend's TypeScript into dist/ so the CLI starts without a
// TypeScript loader. Dependencies stay external: better-sqlite3 is native and
// `convex` must be the very package the deployed functions were built against.
import { build } from "esbuild";

await build({
  entryPoints: ["src/cli.ts", "src/index.ts"],
  outdir: "dist",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: true,
  packages: "external",
  logLevel: "warning",
});

// The isolation worker (src/runtime/isolation/workerMain.ts) runs on its own
// thread and is loaded by file name: dist/isolationWorker.js, next to the bundles
// whose `import.meta.url` locates it (src/runtime/isolation/workerScript.ts).
await build({
  entryPoints: { isolationWorker: "src/runtime/isolation/workerMain.ts" },
  outdir: "dist",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: true,
  packages: "external",
  logLevel: "warning",
});
