// The app definition: the components SEMS mounts and the deployment environment it reads (the
// Convex CLI's codegen types `env` of `_generated/server` from this list, convex ≥ 1.48).
//
// SEMS_ENCRYPTION_KEYS (D14, model/crypto.ts): "keyId:base64key[,keyId:base64key…]", newest first.
// Optional here so a new deployment can be pushed before its keys are set
// (`npx convex env set SEMS_ENCRYPTION_KEYS …`); until then the functions that encrypt or decrypt
// refuse with a message naming the variable.
//
// Sign-in (auth.ts, README "Sign-in"): BETTER_AUTH_SECRET signs Better Auth's cookies and tokens;
// SITE_URL is the web app (links in mail, the one trusted browser origin; default
// http://127.0.0.1:5173). Mail (mail/sender.ts): SMTP_URL (smtp://user:pass@host:port, or
// smtps://) and MAIL_FROM; without SMTP_URL mail lands in the development mailbox and the log.
// Better Auth's component is installed locally (betterAuth/convex.config.ts says why).
// SEMS_DEMO_SIGN_UP=true lets provisioned, not yet linked accounts create their password through
// the plain sign-up endpoint without an invitation — for the offline demo loader only.
import { defineApp } from "convex/server";
import { v } from "convex/values";
import betterAuth from "./betterAuth/convex.config";

const app = defineApp({
  env: {
    SEMS_ENCRYPTION_KEYS: v.optional(v.string()),
    BETTER_AUTH_SECRET: v.optional(v.string()),
    SITE_URL: v.optional(v.string()),
    SMTP_URL: v.optional(v.string()),
    MAIL_FROM: v.optional(v.string()),
    SEMS_DEMO_SIGN_UP: v.optional(v.string()),
  },
});
app.use(betterAuth);

export default app;
