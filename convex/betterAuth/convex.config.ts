// Better Auth's component, installed locally (the package's "local install"): the packaged
// component's schema (0.12.5) lacks the fields better-auth 1.6's two-factor plugin writes
// (failedVerificationCount, lockedUntil), so SEMS keeps the schema here, generated from its own
// Better Auth options (schema.ts), with the package's adapter functions (adapter.ts).
import { defineComponent } from "convex/server";

const component = defineComponent("betterAuth");

export default component;
