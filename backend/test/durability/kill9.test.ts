// Durability: every mutation acknowledged to a client survives `kill -9` of the
// backend, and no mutation is ever half there after the restart.
import { ConvexHttpClient } from "convex/browser";
import { makeFunctionReference } from "convex/server";
import { expect, it } from "vitest";
import { startBackendProcess } from "../helpers/backendProcess.js";
import { startFixtureBackend } from "../helpers/fixtureBackend.js";

const sendMany = makeFunctionReference<"mutation", { channel: string; count: number }>("messages:sendMany");
const list = makeFunctionReference<"query", { channel: string }, { body: string; channel: string }[]>("messages:list");

it("keeps every acknowledged write and no partial one across SIGKILL", async () => {
  const backend = await startFixtureBackend();
  const client = new ConvexHttpClient(backend.url);
  const acknowledged: string[] = [];
  const BATCH = 5;
  let killed = false;
  // Four concurrent writers, each committing batches of five documents in one mutation.
  const writers = [0, 1, 2, 3].map(async (writer) => {
    for (let i = 0; !killed; i++) {
      const channel = `w${writer}-${i}`;
      try {
        await client.mutation(sendMany, { channel, count: BATCH });
        acknowledged.push(channel);
      } catch {
        return; // The backend is gone: this mutation was never acknowledged.
      }
    }
  });
  while (acknowledged.length < 200) await new Promise((r) => setTimeout(r, 5));
  killed = true;
  await backend.kill();
  await Promise.all(writers);
  expect(acknowledged.length).toBeGreaterThanOrEqual(200);

  const again = await startBackendProcess({ dataDir: backend.dataDir });
  try {
    const reader = new ConvexHttpClient(again.url);
    for (const channel of acknowledged) {
      const rows = await reader.query(list, { channel });
      expect(rows.map((r) => r.body)).toEqual(["message 0", "message 1", "message 2", "message 3", "message 4"]);
    }
    // The batches that were in flight are all-or-nothing.
    for (let writer = 0; writer < 4; writer++) {
      const last = Math.max(-1, ...acknowledged.filter((c) => c.startsWith(`w${writer}-`)).map((c) => Number(c.split("-")[1])));
      const inFlight = await reader.query(list, { channel: `w${writer}-${last + 1}` });
      expect([0, BATCH]).toContain(inFlight.length);
    }
  } finally {
    await again.stop();
  }
}, 120_000);
