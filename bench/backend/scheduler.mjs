// Scheduler benchmarks, through the real backend process and the HTTP client:
// - throughput: 10,000 scheduled mutations all due at the same instant (so
//   10,000 are pending when the first runs); rate = jobs / (last start - due time).
//   Target: at least 2,000/s.
// - delay: one job at a time, due 200 ms after scheduling, on an idle backend;
//   delay = the job's start (Date.now() inside it) - its due time. Target: median <= 50 ms.
import { ConvexHttpClient } from "convex/browser";
import { makeFunctionReference } from "convex/server";
import { deploy, median, startBackend } from "../lib/backend.mjs";

const scheduleAt = makeFunctionReference("schedulerBench:scheduleAt");
const startTimes = makeFunctionReference("schedulerBench:startTimes");
const countGroup = makeFunctionReference("schedulerBench:countGroup");
const JOBS = Number(process.env.BENCH_SCHEDULED_JOBS ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const DELAY_SAMPLES = Number(process.env.BENCH_DELAY_SAMPLES ?? 30);
const PER_MUTATION = 500;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForGroup(client, group, count) {
  for (;;) {
    if ((await client.query(countGroup, { group })) >= count) return;
    await sleep(100);
  }
}

const backend = await startBackend();
deploy(backend);
const client = new ConvexHttpClient(backend.url);

const rates = [];
for (let run = 0; run < RUNS; run++) {
  const group = 1000 + run;
  // Leave enough time to schedule all jobs before they fall due.
  const atMs = Date.now() + 4000 + JOBS / 5;
  for (let from = 0; from < JOBS; from += PER_MUTATION) {
    await client.mutation(scheduleAt, { group, from, count: Math.min(PER_MUTATION, JOBS - from), atMs });
  }
  const scheduledBy = Date.now();
  if (scheduledBy >= atMs) throw new Error("scheduling took longer than the lead time; raise it");
  await waitForGroup(client, group, JOBS);
  const starts = await client.query(startTimes, { group });
  const last = Math.max(...starts);
  const rate = JOBS / ((last - atMs) / 1000);
  rates.push(rate);
  console.log(`run ${run}: ${JOBS} jobs pending, all ran within ${last - atMs} ms of their due time: ${rate.toFixed(0)} jobs/s`);
}

const delays = [];
for (let sample = 0; sample < DELAY_SAMPLES; sample++) {
  const group = 5000 + sample;
  const atMs = Date.now() + 200;
  await client.mutation(scheduleAt, { group, from: 0, count: 1, atMs });
  await waitForGroup(client, group, 1);
  const [started] = await client.query(startTimes, { group });
  delays.push(started - atMs);
}
delays.sort((a, b) => a - b);
console.log(`delay after due time, idle: median ${median(delays)} ms, max ${delays[delays.length - 1]} ms`);

await backend.stop();
console.log(JSON.stringify({ benchmark: "scheduler-throughput", pending: JOBS, runs: RUNS, medianJobsPerSecond: Math.round(median(rates)), target: 2000 }));
console.log(JSON.stringify({ benchmark: "scheduler-delay", samples: DELAY_SAMPLES, medianDelayMs: median(delays), maxDelayMs: delays[delays.length - 1], target: 50 }));
