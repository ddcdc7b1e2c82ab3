// HTTP actions on the site port of a real backend: every method, exact and
// prefix routes, streamed request and response bodies, statuses and cookies,
// a failing handler, routes a mounted component serves, and the CORS
// preflight handed to the router.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { anyApi } from "convex/server";
import { startAppBackend, type AppBackend } from "./appBackend.js";

let app: AppBackend;
let site: string;

beforeAll(async () => {
  app = await startAppBackend();
  site = app.backend.siteUrl;
}, 120_000);
afterAll(() => app?.close());

describe("HTTP actions", () => {
  test.each(["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"])("%s reaches its route with headers and body", async (method) => {
    const hasBody = method !== "GET";
    const response = await fetch(`${site}/echo?q=1`, { method, headers: { "x-test": `h-${method}` }, body: hasBody ? `body of ${method}` : undefined });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ method, url: `${site}/echo?q=1`, body: hasBody ? `body of ${method}` : "", header: `h-${method}` });
  });

  test("HEAD is served by the GET route, without a body", async () => {
    const response = await fetch(`${site}/json`, { method: "HEAD" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/json");
    expect(await response.text()).toBe("");
  });

  test("prefix routes match below their prefix, and unknown paths get the router's 404", async () => {
    expect(await (await fetch(`${site}/files/a/b.txt`)).text()).toBe("file a/b.txt");
    const missing = await fetch(`${site}/no/such/route`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe("No HttpAction routed for /no/such/route");
    // A method the path has no route for is a 404 too.
    expect((await fetch(`${site}/json`, { method: "POST", body: "x" })).status).toBe(404);
  });

  test("a CORS preflight goes to the router: answered by an OPTIONS route, 404 without one", async () => {
    const preflight = { method: "OPTIONS", headers: { origin: "http://app.test", "access-control-request-method": "POST" } };
    const routed = await fetch(`${site}/echo`, preflight);
    expect(routed.status).toBe(200);
    expect(((await routed.json()) as { method: string }).method).toBe("OPTIONS");
    expect((await fetch(`${site}/json`, preflight)).status).toBe(404);
  });

  test("the request body streams into the handler", async () => {
    const chunk = Buffer.alloc(64 * 1024, 7);
    const result = await new Promise<{ bytes: number; chunks: number }>((resolve, reject) => {
      const request = http.request(`${site}/upload`, { method: "POST", headers: { "transfer-encoding": "chunked" } }, (response) => {
        let text = "";
        response.setEncoding("utf8").on("data", (d) => (text += d)).on("end", () => resolve(JSON.parse(text)));
      });
      request.on("error", reject);
      let sent = 0;
      const sendNext = () => {
        if (sent === 8) return request.end();
        request.write(chunk);
        sent++;
        setTimeout(sendNext, 10);
      };
      sendNext();
    });
    expect(result.bytes).toBe(8 * 64 * 1024);
    expect(result.chunks).toBeGreaterThan(1);
  });

  test("the response body streams out: the first chunk arrives before the handler has made the last", async () => {
    const started = Date.now();
    const response = await fetch(`${site}/stream`);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    const arrivals: { text: string; at: number }[] = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      arrivals.push({ text: decoder.decode(value), at: Date.now() - started });
    }
    expect(arrivals.map((a) => a.text).join("")).toBe("chunk0\nchunk1\nchunk2\n");
    expect(arrivals.length).toBeGreaterThanOrEqual(2);
    // Chunks are 150 ms apart: the first must not wait for the whole body.
    expect(arrivals[arrivals.length - 1].at - arrivals[0].at).toBeGreaterThan(150);
  });

  test("status, status text and set-cookie headers pass through", async () => {
    const response = await fetch(`${site}/teapot`);
    expect(response.status).toBe(418);
    expect(response.headers.getSetCookie()).toEqual(["a=1"]);
    expect(await response.text()).toBe("short and stout");
  });

  test("a handler that throws gives a 500 with the error, logged with its route", async () => {
    const response = await fetch(`${site}/fail`);
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ code: "HttpActionFailed", message: "Uncaught Error: the handler broke on purpose", route: "GET /fail" });
    expect(app.backend.output()).toContain("[H] GET /fail (GET /fail) failed: Uncaught Error: the handler broke on purpose");
  });

  test("ctx.runMutation and ctx.runQuery from an HTTP action commit and read", async () => {
    const response = await fetch(`${site}/record`, { method: "POST", body: JSON.stringify({ label: "from-http" }) });
    expect(((await response.json()) as { labels: string[] }).labels).toContain("from-http");
    expect(await app.http().query(anyApi.components.listApp, {})).toContain("from-http");
  });

  test("a component mounted with httpPrefix serves its own routes, reading its own tables", async () => {
    await app.http().mutation(anyApi.components.addWidget, { which: "A", label: "mounted" });
    const response = await fetch(`${site}/widget-a/labels`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ labels: ["mounted"] });
    // widgetB has no mount, and the app router has no /labels.
    expect((await fetch(`${site}/widget-b/labels`)).status).toBe(404);
    expect((await fetch(`${site}/labels`)).status).toBe(404);
  });

  test("Better Auth's routes are registered, the well-known redirect included", async () => {
    const response = await fetch(`${site}/.well-known/openid-configuration`, { redirect: "manual" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(`${site}/api/auth/convex/.well-known/openid-configuration`);
    const config = (await (await fetch(response.headers.get("location")!)).json()) as { jwks_uri: string };
    expect(config.jwks_uri).toBe(`${site}/api/auth/convex/jwks`);
  });
});
