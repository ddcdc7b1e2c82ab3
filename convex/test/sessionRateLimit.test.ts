// The session endpoints the web app calls on every page load are not rate-limited per IP (a school
// shares one address), while sign-in still is (signIn.test.ts).
import { expect, test } from "vitest";
import { api } from "../_generated/api";
import { asUser, buildSignInWorld, post, sessionCookie, SITE, tokenFromMail } from "./signInWorld.testing";

const PERSON = { email: "busy.school@sems.test", firstName: "Bea", lastName: "Busy", role: "teacher" as const };
// Better Auth's default for other paths here: 100 a minute per IP (convex/auth.ts).
const REQUESTS = 110;

test("the Convex token and the session can be asked for more than 100 times a minute", async () => {
  const w = await buildSignInWorld();
  await asUser(w, w.users.admin).mutation(api.users.provisionUser, PERSON);
  const invitationToken = await tokenFromMail(w.t, PERSON.email, "/accept-invite");
  const signedUp = await post(w.t, "/sign-up/email", { email: PERSON.email, password: "a-long-enough-password", name: "Bea Busy", invitationToken });
  expect(signedUp.status).toBe(200);
  const cookie = sessionCookie(signedUp);
  const get = (path: string) => w.t.fetch(`/api/auth${path}`, { headers: { origin: SITE, cookie } });
  const statuses = new Map<number, number>();
  for (let i = 0; i < REQUESTS; i++) {
    for (const path of ["/convex/token", "/get-session"]) {
      const { status } = await get(path);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
  }
  expect(Object.fromEntries(statuses)).toEqual({ 200: 2 * REQUESTS });
  const token = (await (await get("/convex/token")).json()) as { token?: string };
  expect(token.token?.split(".")).toHaveLength(3);
});
