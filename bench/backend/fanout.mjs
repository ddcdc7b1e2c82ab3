// Fan-out: 1,000 ConvexClient subscribers to one query; one mutation changes
// its result. Measures, per subscriber, the time from sending the mutation
// until that client's callback sees the new value.
// Target (issue 2): 99th percentile at most 200 ms.
import { ConvexClient } from "convex/browser";
import { makeFunctionReference } from "convex/server";
import { deploy, median, percentile, startBackend } from "../lib/backend.mjs";

const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 1000);
const ROUNDS = Number(process.env.BENCH_RUNS ?? 5);
const counter = makeFunctionReference("bench:counter");
const bump = makeFunctionReference("bench:bump");

const backend = await startBackend();
deploy(backend);
const name = `fanout-${Date.now()}`;
const clients = [];
const latest = new Array(SUBSCRIBERS).fill(-1);
const waiters = new Array(SUBSCRIBERS).fill(null);
for (let i = 0; i < SUBSCRIBERS; i++) {
  const client = new ConvexClient(backend.url);
  clients.push(client);
  client.onUpdate(counter, { name }, (value) => {
    latest[i] = value;
    const waiter = waiters[i];
    if (waiter && value >= waiter.value) {
      waiters[i] = null;
      waiter.resolve(performance.now());
    }
  });
}
// Wait until every subscriber has its first result.
while (latest.some((v) => v === -1)) await new Promise((r) => setTimeout(r, 50));

const writer = new ConvexClient(backend.url);
const p99s = [];
const p50s = [];
for (let round = 1; round <= ROUNDS; round++) {
  const seen = clients.map((_, i) => new Promise((resolve) => (waiters[i] = { value: round, resolve })));
  const sent = performance.now();
  await writer.mutation(bump, { name });
  const times = (await Promise.all(seen)).map((t) => t - sent).sort((a, b) => a - b);
  p50s.push(percentile(times, 50));
  p99s.push(percentile(times, 99));
  console.log(`round ${round}: p50 ${percentile(times, 50).toFixed(1)} ms, p99 ${percentile(times, 99).toFixed(1)} ms, max ${times[times.length - 1].toFixed(1)} ms`);
}
await Promise.all([...clients, writer].map((c) => c.close()));
await backend.stop();
console.log(JSON.stringify({ benchmark: "fanout", subscribers: SUBSCRIBERS, medianP50Ms: +median(p50s).toFixed(1), medianP99Ms: +median(p99s).toFixed(1), target: "p99 ≤ 200 ms" }));
