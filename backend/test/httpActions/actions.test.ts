// Actions through a real backend: fetch (to a loopback server only), timers,
// ctx.runQuery/runMutation/runAction each as its own transaction, and a
// "use node" module.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { anyApi } from "convex/server";
import { startAppBackend, type AppBackend } from "./appBackend.js";

let app: AppBackend;
let loopback: http.Server;
let loopbackUrl: string;

beforeAll(async () => {
  loopback = http.createServer((request, response) => response.end(`pong ${request.url}`));
  await new Promise<void>((resolve) => loopback.listen(0, "127.0.0.1", resolve));
  loopbackUrl = `http://127.0.0.1:${(loopback.address() as AddressInfo).port}`;
  app = await startAppBackend();
}, 120_000);
afterAll(async () => {
  await app?.close();
  loopback?.close();
});

describe("actions", () => {
  test("fetch and a timer run in an action, and its mutation commits what it fetched", async () => {
    const result = (await app.http().action(anyApi.actions.fetchAndRecord, { url: `${loopbackUrl}/ping`, delayMs: 120 })) as { status: number; text: string; waitedMs: number };
    expect(result.status).toBe(200);
    expect(result.text).toBe("pong /ping");
    // Actions see real time (no frozen clock): the timer's wait is visible.
    expect(result.waitedMs).toBeGreaterThanOrEqual(100);
    expect(await app.http().query(anyApi.actions.events, {})).toContain("fetched");
  });

  test("each ctx.run* call is its own transaction: a failed mutation rolls back alone", async () => {
    const result = (await app.http().action(anyApi.actions.stepwise, {})) as { afterStep1: string[]; failure: string; nested: string; final: string[] };
    expect(result.afterStep1).toContain("step1");
    expect(result.failure).toContain("this mutation fails after its write");
    expect(result.nested).toBe("NESTED");
    expect(result.final).toContain("step1");
    expect(result.final).not.toContain("step2");
  });

  test("internal actions are not callable by clients", async () => {
    await expect(app.http().action(anyApi.actions.inner, { word: "x" })).rejects.toThrow(/Could not find public function/);
  });

  test('a "use node" action runs, with node:crypto and ctx.runQuery', async () => {
    const result = (await app.http().action(anyApi.nodeActions.digest, { text: "abc" })) as { sha256: string; events: string[] };
    expect(result.sha256).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(Array.isArray(result.events)).toBe(true);
  });
});
