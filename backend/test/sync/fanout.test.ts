// 1,000 connections subscribed to one query: one engine run per commit, and
// every connection gets each new result. (How fast is measured by
// bench/backend/fanout.mjs, not asserted here: timings are the benchmark's job.)

import { afterEach, expect, test } from "vitest";
import WebSocket from "ws";
import { FakeEngine } from "../helpers/fakeEngine.js";
import { startServer, type RunningServer } from "../helpers/apiTestServer.js";

const SUBSCRIBERS = 1000;
let server: RunningServer | undefined;
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  await server?.close();
});

test(`${SUBSCRIBERS} subscribers to one query share one run per commit and all get it`, async () => {
  const engine = new FakeEngine();
  server = await startServer(engine);
  const wsUrl = server.url.replace("http", "ws") + "/api/1.48.0/sync";
  const arrivals: number[] = [];
  let expected = 0;
  let initialResults = 0;

  for (let i = 0; i < SUBSCRIBERS; i++) {
    const ws = new WebSocket(wsUrl, { perMessageDeflate: false });
    sockets.push(ws);
    ws.on("message", (data) => {
      const text = data.toString();
      if (!text.includes('"QueryUpdated"')) return;
      const value = (JSON.parse(text) as { modifications: { value: number }[] }).modifications[0]!.value;
      if (value === 0) initialResults++;
      else if (value === expected) arrivals.push(value);
    });
    ws.on("open", () => {
      ws.send(JSON.stringify({ type: "Connect", sessionId: `s${i}`, connectionCount: 0, lastCloseReason: null, clientTs: Date.now() }));
      ws.send(
        JSON.stringify({
          type: "ModifyQuerySet",
          baseVersion: 0,
          newVersion: 1,
          modifications: [{ type: "Add", queryId: 0, udfPath: "counter:get", args: [{ name: "hot" }] }],
        }),
      );
    });
  }
  await waitFor(() => initialResults === SUBSCRIBERS, 30_000);
  expect(engine.queryRuns("counter:get")).toBe(1);

  for (let round = 1; round <= 3; round++) {
    arrivals.length = 0;
    expected = round;
    await engine.runMutation({ udfPath: "counter:increment", args: { name: "hot" }, auth: { kind: "none" } });
    await waitFor(() => arrivals.length === SUBSCRIBERS, 30_000);
  }
  expect(engine.queryRuns("counter:get")).toBe(4); // one run per commit, shared by all
}, 120_000);

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
