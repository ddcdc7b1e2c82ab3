import { httpRouter } from "convex/server";
import { httpAction } from "./_generated/server";
import { api } from "./_generated/api";

const http = httpRouter();
http.route({
  path: "/labels",
  method: "GET",
  handler: httpAction(async (ctx) => Response.json({ labels: await ctx.runQuery(api.items.list, {}) })),
});
export default http;
