// Copies a fixture app to a fresh temp folder so the CLI can write
// convex/_generated and .env.local there without touching the repo. The copy
// links the repo's node_modules, so `convex` and the components resolve to
// the exact versions the repo pins.

import { cpSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, "..", "..", "..");
/** The fixture app of `backend/test/fixture`. */
export const fixtureDir = path.resolve(here, "..", "fixture");

export interface TempProject {
  dir: string;
  remove(): void;
}

/** A temp copy of `sourceDir` (default: the fixture app) without its `_generated` folder. */
export function copyFixtureProject(sourceDir: string = fixtureDir): TempProject {
  const dir = mkdtempSync(path.join(tmpdir(), "sems-fixture-"));
  cpSync(sourceDir, dir, {
    recursive: true,
    filter: (source) => !source.split(path.sep).includes("_generated") && !source.split(path.sep).includes("node_modules"),
  });
  symlinkSync(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules"), "dir");
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
