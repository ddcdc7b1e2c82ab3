import { defineApp } from "convex/server";
import envProbe from "./envProbe/convex.config";

const app = defineApp();
app.use(envProbe);
export default app;
