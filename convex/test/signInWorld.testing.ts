// convex-test world for sign-in (issue 6): the access-matrix world plus the Better Auth component
// (installed locally in convex/betterAuth, registered with `t.registerComponent`), the
// environment Better Auth reads, and helpers that talk to its routes through `t.fetch` the way
// the web app's authClient does (JSON bodies, Origin of the web app, the session cookie).
/// <reference types="vite/client" />
/* eslint-disable @convex-dev/no-process-env -- test setup, not deployed code */
import { convexTest } from "convex-test";
import { expect } from "vitest";
import type { Doc, Id } from "../_generated/dataModel";
import { insertAccessWorld, WORLD_FILE, type AccessWorld } from "../fixtures/accessWorld";
import { ENCRYPTION_KEYS_ENV } from "../model/crypto";
import { todayIso } from "../model/dates";
import authSchema from "../betterAuth/schema";
import schema from "../schema";
import { modules } from "./modules.testing";

export const SITE = "http://127.0.0.1:5173";
// convex-test serves t.fetch on this origin.
export const CONVEX_SITE = "https://some.convex.site";
export const PASSWORD = "correct horse battery";

process.env[ENCRYPTION_KEYS_ENV] ??= `test:${btoa(String.fromCharCode(...new Uint8Array(32).map((_, i) => i + 1)))}`;
process.env.BETTER_AUTH_SECRET ??= "sign-in tests: a secret of at least thirty-two characters";
process.env.CONVEX_SITE_URL ??= CONVEX_SITE;
process.env.SITE_URL ??= SITE;

export function newSignInTest() {
  const t = convexTest(schema, modules);
  t.registerComponent("betterAuth", authSchema, import.meta.glob("../betterAuth/**/*.ts"));
  return t;
}
export type SignInTest = ReturnType<typeof newSignInTest>;

export interface SignInWorld extends AccessWorld {
  t: SignInTest;
}

export async function buildSignInWorld(): Promise<SignInWorld> {
  const t = newSignInTest();
  const world = await t.run(async (ctx) => {
    const store = async () => await ctx.storage.store(new Blob([WORLD_FILE.text], { type: WORLD_FILE.mimeType }));
    return await insertAccessWorld(ctx, { today: todayIso(), tag: "", files: [await store(), await store(), await store()] });
  });
  return { t, ...world };
}

/** An identity for a user of the world, carrying their email (not linked to Better Auth). */
export function asUser(w: SignInWorld, user: Doc<"users">) {
  return w.t.withIdentity({ email: user.email, subject: `test|${user._id}` });
}

export async function post(t: SignInTest, path: string, body: unknown, cookie?: string): Promise<Response> {
  return await t.fetch(`/api/auth${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: SITE, ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(body),
  });
}

/** The session cookie a response sets (name=value), for the next request. */
export function sessionCookie(response: Response): string {
  const cookie = response.headers.getSetCookie().find((c) => c.includes("session_token="));
  expect(cookie, "a session cookie").toBeDefined();
  return cookie!.split(";")[0]!;
}

export async function signIn(t: SignInTest, email: string, password = PASSWORD): Promise<Response> {
  return await post(t, "/sign-in/email", { email, password });
}

/** The dev-mailbox messages to `email`, oldest first. */
export async function mailTo(t: SignInTest, email: string) {
  return await t.run(async (ctx) =>
    (await ctx.db.query("devMailbox").collect()).filter((message) => message.to === email),
  );
}

/** The token in the last link of `path` mailed to `email`. */
export async function tokenFromMail(t: SignInTest, email: string, path: "/accept-invite" | "/reset-password") {
  const messages = await mailTo(t, email);
  const text = messages[messages.length - 1]?.text ?? "";
  const match = new RegExp(`${SITE.replace(/[.:/]/g, "\\$&")}${path}\\?token=([^\\s]+)`).exec(text);
  expect(match, `a ${path} link in the mail to ${email}`).not.toBeNull();
  return decodeURIComponent(match![1]!);
}

export async function userRow(t: SignInTest, userId: Id<"users">) {
  return await t.run(async (ctx) => await ctx.db.get("users", userId));
}
