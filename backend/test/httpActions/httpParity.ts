// HTTP-action and component assertions that convex-test supports too, run on
// both: convex-test (the reference for Convex semantics) and the real backend.
import { describe, expect, test } from "vitest";

export interface HttpDriver {
  /** `path` starts with "/", as convex-test's `t.fetch` wants it. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  query(name: string, args?: Record<string, unknown>): Promise<unknown>;
  mutation(name: string, args?: Record<string, unknown>): Promise<unknown>;
}

export function httpParitySuite(driver: () => HttpDriver): void {
  describe("HTTP actions (parity)", () => {
    test.each(["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"])("%s reaches its route with its body", async (method) => {
      const hasBody = method !== "GET";
      const response = await driver().fetch("/echo?q=1", { method, headers: { "x-test": "h" }, body: hasBody ? `body ${method}` : undefined });
      expect(response.status).toBe(200);
      const echoed = (await response.json()) as { method: string; url: string; body: string };
      expect(echoed.method).toBe(method);
      expect(new URL(echoed.url).pathname + new URL(echoed.url).search).toBe("/echo?q=1");
      expect(echoed.body).toBe(hasBody ? `body ${method}` : "");
    });

    test("prefix routes and the router's 404", async () => {
      expect(await (await driver().fetch("/files/x/y")).text()).toBe("file x/y");
      const missing = await driver().fetch("/nowhere");
      expect(missing.status).toBe(404);
      expect(await missing.text()).toBe("No HttpAction routed for /nowhere");
    });

    test("a handler's status and body pass through", async () => {
      const response = await driver().fetch("/teapot");
      expect(response.status).toBe(418);
      expect(await response.text()).toBe("short and stout");
    });

    test("an HTTP action's runMutation and runQuery", async () => {
      const response = await driver().fetch("/record", { method: "POST", body: JSON.stringify({ label: "parity" }) });
      expect(((await response.json()) as { labels: string[] }).labels).toContain("parity");
      expect(await driver().query("components:listApp")).toContain("parity");
    });
  });

  describe("component tables (parity)", () => {
    test("two instances of one component and the app keep separate tables", async () => {
      const d = driver();
      const idA = (await d.mutation("components:addWidget", { which: "A", label: "pa" })) as string;
      await d.mutation("components:addWidget", { which: "B", label: "pb" });
      expect(await d.query("components:listWidget", { which: "A" })).toContain("pa");
      expect(await d.query("components:listWidget", { which: "A" })).not.toContain("pb");
      expect(await d.query("components:listWidget", { which: "B" })).not.toContain("pa");
      expect(await d.query("components:listApp")).not.toContain("pa");
      expect(((await d.query("components:tryGetInWidget", { which: "A", id: idA })) as { doc: string | null }).doc).toBe("pa");
      // Reading idA from widgetB or the app is checked on the backend only
      // (components.test.ts): convex-test numbers ids per table sequentially, so
      // another component's id can name one of its own documents there.
    });
  });
}
