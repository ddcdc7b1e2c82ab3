#!/usr/bin/env node
// Runs the benchmarks of one group (or all) one after another and prints each
// one's JSON summary lines. Each benchmark takes the median of several runs.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const groups = process.argv.slice(2).length ? process.argv.slice(2) : ["backend", "sems"];
for (const group of groups) {
  const dir = path.join(here, group);
  if (!fs.existsSync(dir)) continue;
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".mjs")).sort()) {
    console.log(`\n# ${group}/${file}`);
    const result = spawnSync(process.execPath, [path.join(dir, file)], { stdio: ["ignore", "pipe", "inherit"], encoding: "utf8" });
    const summaries = result.stdout.split("\n").filter((line) => line.startsWith("{"));
    console.log(summaries.join("\n") || result.stdout);
    if (result.status !== 0) console.log(`(exited with ${result.status})`);
  }
}
