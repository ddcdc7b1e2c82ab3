import { defineApp } from "convex/server";
import betterAuth from "@convex-dev/better-auth/convex.config";
import prosemirrorSync from "@convex-dev/prosemirror-sync/convex.config";
import presence from "@convex-dev/presence/convex.config";
import widget from "./widget/convex.config";

const app = defineApp();
app.use(betterAuth);
app.use(prosemirrorSync);
app.use(presence);
// One definition, two instances: each must get its own tables.
app.use(widget, { name: "widgetA", httpPrefix: "/widget-a/" });
app.use(widget, { name: "widgetB" });
export default app;
