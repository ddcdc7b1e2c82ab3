// Text search latency: 100,000 student-like names (accents, apostrophes and
// hyphens included) in a table with a search index filtered by school; then
// search-as-you-type queries (a name prefix, a full first name plus a last
// name prefix, with and without the school filter) through the HTTP API.
// Reports the median and 99th percentile per run, and their medians.
// Target (issue 4): median at most 5 ms.
//
//   node bench/backend/search.mjs [--runs 5] [--students 100000] [--queries 400]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { ConvexHttpClient } from "convex/browser";
import { makeFunctionReference } from "convex/server";
import { deploy, median, percentile, root, startBackend } from "../lib/backend.mjs";

const { values } = parseArgs({
  options: { runs: { type: "string", default: "5" }, students: { type: "string", default: "100000" }, queries: { type: "string", default: "400" } },
});
const RUNS = Number(values.runs);
const STUDENTS = Number(values.students);
const QUERIES = Number(values.queries);
const SCHOOLS = 40;

const FIRST = ("Olivia Liam Emma Noah Amelia Oliver Ava Elijah Sophia Mateo Isabella Lucas Mia Levi Charlotte Ezra Luna Asher " +
  "Harper James Evelyn Leo Gianna Luca Aurora Ethan Ellie Sebastian Nova Muhammad José María Zoë Chloé Renée Jean-Luc " +
  "Anne-Marie Seán Siobhán Nguyễn Aaliyah Darnell Keisha Tyrone Priya Arjun Wei Mei Hiroshi Yuki Fatima Omar Ali Aisha " +
  "Santiago Valentina Camila Diego Sofía Mariana Gabriel Lucía Mateus Jürgen Björn Åsa Søren").split(" ");
const LAST = ("Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez Wilson " +
  "Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez Lewis Robinson " +
  "O'Brien O'Connor D'Angelo McDonald MacLeod Smith-Jones García-Márquez Nguyen Tran Kim Park Chen Wang Patel Shah " +
  "Müller Schröder Øvergaard Kowalski Nowak Ivanov Rossi Russo Dubois Lefèvre Moreau Fernández Gómez Díaz Silva Santos").split(" ");

let seed = 42;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const pick = (list) => list[Math.floor(random() * list.length)];

function writeApp() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sems-bench-search-"));
  fs.mkdirSync(path.join(dir, "convex"));
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "bench-search", private: true, type: "module", dependencies: { convex: "1.48.0" } }));
  fs.writeFileSync(
    path.join(dir, "convex", "schema.js"),
    `import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";
export default defineSchema({
  students: defineTable({ name: v.string(), school: v.string() })
    .searchIndex("search_name", { searchField: "name", filterFields: ["school"] }),
});
`,
  );
  fs.writeFileSync(
    path.join(dir, "convex", "students.js"),
    `import { mutationGeneric, queryGeneric } from "convex/server";
import { v } from "convex/values";
export const addMany = mutationGeneric({
  args: { students: v.array(v.object({ name: v.string(), school: v.string() })) },
  handler: async (ctx, { students }) => { for (const s of students) await ctx.db.insert("students", s); },
});
export const ping = queryGeneric({ args: {}, handler: async () => 1 });
export const search = queryGeneric({
  args: { text: v.string(), school: v.optional(v.string()) },
  handler: async (ctx, { text, school }) => {
    const rows = await ctx.db.query("students")
      .withSearchIndex("search_name", (q) => (school === undefined ? q.search("name", text) : q.search("name", text).eq("school", school)))
      .take(20);
    return rows.map((r) => r.name);
  },
});
`,
  );
  fs.symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"), "dir");
  return dir;
}

const backend = await startBackend();
deploy(backend, writeApp());
const client = new ConvexHttpClient(backend.url);
const addMany = makeFunctionReference("students:addMany");
const search = makeFunctionReference("students:search");

const loadStarted = performance.now();
for (let done = 0; done < STUDENTS; done += 1000) {
  const batch = Array.from({ length: Math.min(1000, STUDENTS - done) }, () => ({
    name: random() < 0.2 ? `${pick(FIRST)} ${pick(FIRST)} ${pick(LAST)}` : `${pick(FIRST)} ${pick(LAST)}`,
    school: `school-${Math.floor(random() * SCHOOLS)}`,
  }));
  await client.mutation(addMany, { students: batch });
}
console.log(`loaded ${STUDENTS} students in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s`);

/** What a user types into a search box: a prefix, or a first name and the start of a last name. */
function typedQuery() {
  const first = pick(FIRST);
  const last = pick(LAST);
  const r = random();
  if (r < 0.4) return first.slice(0, 2 + Math.floor(random() * (first.length - 1)));
  if (r < 0.8) return `${first} ${last.slice(0, 1 + Math.floor(random() * last.length))}`;
  return last.slice(0, 3 + Math.floor(random() * Math.max(1, last.length - 2)));
}

// The floor on this machine right now: a query that reads nothing, over the same HTTP path.
const floor = [];
for (let i = 0; i < 200; i++) {
  const started = performance.now();
  await client.query(makeFunctionReference("students:ping"), {});
  floor.push(performance.now() - started);
}
floor.sort((a, b) => a - b);
const floorMedianMs = percentile(floor, 50);
console.log(`empty query over HTTP: median ${floorMedianMs.toFixed(2)} ms`);

const slowest = [];
const medians = [];
const p99s = [];
for (let run = 1; run <= RUNS; run++) {
  const times = [];
  for (let i = 0; i < QUERIES; i++) {
    const args = { text: typedQuery() };
    if (random() < 0.5) args.school = `school-${Math.floor(random() * SCHOOLS)}`;
    const started = performance.now();
    await client.query(search, args);
    times.push(performance.now() - started);
    slowest.push([times.at(-1), JSON.stringify(args)]);
  }
  times.sort((a, b) => a - b);
  medians.push(percentile(times, 50));
  p99s.push(percentile(times, 99));
  console.log(`run ${run}: median ${percentile(times, 50).toFixed(2)} ms, p99 ${percentile(times, 99).toFixed(2)} ms, max ${times.at(-1).toFixed(1)} ms`);
}
await backend.stop();
slowest.sort((a, b) => b[0] - a[0]);
console.log(`slowest: ${slowest.slice(0, 5).map(([ms, args]) => `${ms.toFixed(1)} ms ${args}`).join("; ")}`);
console.log(
  JSON.stringify({
    benchmark: "search",
    emptyQueryMedianMs: +floorMedianMs.toFixed(2),
    students: STUDENTS,
    queriesPerRun: QUERIES,
    runs: RUNS,
    medianMs: +median(medians).toFixed(2),
    p99Ms: +median(p99s).toFixed(2),
    target: "median ≤ 5 ms",
  }),
);
