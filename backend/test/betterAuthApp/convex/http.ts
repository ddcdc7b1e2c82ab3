import { httpRouter } from "convex/server";
import { api } from "./_generated/api";
import { httpAction } from "./_generated/server";
import { authComponent, createAuth } from "./auth";

const http = httpRouter();
authComponent.registerRoutes(http, createAuth);

const echo = httpAction(async (_ctx, request) => {
  const body = request.method === "GET" || request.method === "HEAD" ? "" : await request.text();
  return Response.json({ method: request.method, url: request.url, body, header: request.headers.get("x-test") });
});
for (const method of ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"] as const) {
  http.route({ path: "/echo", method, handler: echo });
}

http.route({ path: "/json", method: "GET", handler: httpAction(async () => Response.json({ ok: true, n: 1 })) });

http.route({
  pathPrefix: "/files/",
  method: "GET",
  handler: httpAction(async (_ctx, request) => new Response(`file ${new URL(request.url).pathname.slice("/files/".length)}`)),
});

/** Counts the request body as it streams in. */
http.route({
  path: "/upload",
  method: "POST",
  handler: httpAction(async (_ctx, request) => {
    let bytes = 0;
    let chunks = 0;
    const reader = request.body!.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      chunks++;
    }
    return Response.json({ bytes, chunks });
  }),
});

/** Sends its body in timed chunks, so a client sees the first before the last is made. */
http.route({
  path: "/stream",
  method: "GET",
  handler: httpAction(async () => {
    const encoder = new TextEncoder();
    let i = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (i === 3) return controller.close();
        await new Promise((resolve) => setTimeout(resolve, 150));
        controller.enqueue(encoder.encode(`chunk${i++}\n`));
      },
    });
    return new Response(body, { headers: { "content-type": "text/plain" } });
  }),
});

http.route({ path: "/teapot", method: "GET", handler: httpAction(async () => new Response("short and stout", { status: 418, headers: { "set-cookie": "a=1" } })) });

http.route({
  path: "/fail",
  method: "GET",
  handler: httpAction(async () => {
    throw new Error("the handler broke on purpose");
  }),
});

http.route({
  path: "/identity",
  method: "GET",
  handler: httpAction(async (ctx) => Response.json(await ctx.auth.getUserIdentity())),
});

http.route({
  path: "/record",
  method: "POST",
  handler: httpAction(async (ctx, request) => {
    const { label } = (await request.json()) as { label: string };
    await ctx.runMutation(api.components.addApp, { label });
    return Response.json({ labels: await ctx.runQuery(api.components.listApp, {}) });
  }),
});

export default http;
