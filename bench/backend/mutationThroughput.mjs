// Mutations per second: one small insert each, through the unmodified
// ConvexClient over the sync WebSocket, with 64 mutations in flight.
// Target (issue 2): at least 5,000/s on this 2-core machine.
import { ConvexClient } from "convex/browser";
import { makeFunctionReference } from "convex/server";
import { deploy, median, startBackend } from "../lib/backend.mjs";

const insertOne = makeFunctionReference("bench:insertOne");
const IN_FLIGHT = 64;
const TOTAL = Number(process.env.BENCH_MUTATIONS ?? 20_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

const backend = await startBackend();
deploy(backend);
const client = new ConvexClient(backend.url);
const rates = [];
for (let run = 0; run < RUNS + 1; run++) {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < TOTAL) {
        const seq = next++;
        await client.mutation(insertOne, { group: run, seq });
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  if (run > 0) rates.push(TOTAL / seconds); // run 0 warms up
  console.log(`run ${run}${run === 0 ? " (warm-up)" : ""}: ${(TOTAL / seconds).toFixed(0)} mutations/s`);
}
await client.close();
await backend.stop();
console.log(JSON.stringify({ benchmark: "mutation-throughput", inFlight: IN_FLIGHT, perRun: TOTAL, medianPerSecond: Math.round(median(rates)), target: 5000 }));
