// Issue 6, server side of sign-in, on convex-test with the Better Auth component registered:
// invitations (create, accept, expire, revoke, resend), the D3 identity link, refusal of
// deactivated accounts, password reset through the mail sender, the development mailbox (admins
// only, own organization), two-factor for staff only, and the sign-in rate limit. Requests go
// through Better Auth's real routes (http.ts) with t.fetch.
import { expect, test } from "vitest";
import { api } from "../_generated/api";
import { INVITATION_TTL_MS } from "../model/invitations";
import { outcome } from "./world.testing";
import {
  asUser,
  buildSignInWorld,
  mailTo,
  PASSWORD,
  post,
  sessionCookie,
  signIn,
  SITE,
  tokenFromMail,
  userRow,
  type SignInWorld,
} from "./signInWorld.testing";

const NEW = { email: "new.teacher@sems.test", firstName: "Nova", lastName: "Reyes", role: "teacher" as const };

async function provision(w: SignInWorld, person: { email: string; firstName: string; lastName: string; role: "teacher" | "parent" } = NEW) {
  const userId = await asUser(w, w.users.admin).mutation(api.users.provisionUser, person);
  return { userId, token: await tokenFromMail(w.t, person.email, "/accept-invite") };
}

async function accept(w: SignInWorld, email: string, invitationToken?: string, password = PASSWORD) {
  return await post(w.t, "/sign-up/email", { email, password, name: "Invitee", ...(invitationToken ? { invitationToken } : {}) });
}

test("provisioning invites: hashed token, 7-day expiry, a mail with the link", async () => {
  const w = await buildSignInWorld();
  const before = Date.now();
  const { userId, token } = await provision(w);
  const invitations = await w.t.run(async (ctx) => await ctx.db.query("invitations").collect());
  expect(invitations).toHaveLength(1);
  const [invitation] = invitations;
  expect(invitation).toMatchObject({ userId, email: NEW.email, status: "pending", organizationId: w.orgA });
  expect(invitation!.tokenHash).not.toContain(token);
  expect(invitation!.tokenHash).toMatch(/^[0-9a-f]{64}$/);
  expect(invitation!.expiresAt - before).toBeGreaterThanOrEqual(INVITATION_TTL_MS - 1000);
  expect(invitation!.expiresAt - Date.now()).toBeLessThanOrEqual(INVITATION_TTL_MS);
  const [mail] = await mailTo(w.t, NEW.email);
  expect(mail!.organizationId).toBe(w.orgA);
  expect(mail!.text).toContain(`${SITE}/accept-invite?token=`);

  const described = await w.t.query(api.invitations.describe, { token });
  expect(described).toMatchObject({ email: NEW.email, firstName: "Nova", lastName: "Reyes", state: "pending" });
  expect(await w.t.query(api.invitations.describe, { token: `${token}x` })).toBeNull();
});

test("accepting the invitation sets the password, signs in and links the account (D3)", async () => {
  const w = await buildSignInWorld();
  const { userId, token } = await provision(w);

  const accepted = await accept(w, NEW.email, token);
  expect(accepted.status).toBe(200);
  const { user } = (await accepted.json()) as { user: { id: string; emailVerified: boolean } };
  expect(user.emailVerified).toBe(true);
  const cookie = sessionCookie(accepted);

  const linked = await userRow(w.t, userId);
  expect(linked!.authUserId).toBe(user.id);
  expect(linked!.lastLogin).toBeTypeOf("number");
  const invitation = await w.t.run(async (ctx) => (await ctx.db.query("invitations").collect())[0]);
  expect(invitation!.status).toBe("accepted");
  expect((await w.t.query(api.invitations.describe, { token }))!.state).toBe("accepted");

  // The session is real: Better Auth answers with it, and a second use of the link is refused.
  const session = await w.t.fetch("/api/auth/get-session", { headers: { cookie } });
  expect(((await session.json()) as { user: { email: string } }).user.email).toBe(NEW.email);
  expect((await accept(w, NEW.email, token)).status).toBeGreaterThanOrEqual(400);

  // The identity Convex derives from Better Auth's JWT (sub = Better Auth user id) finds the row,
  // even if the email claim is missing.
  const me = await w.t.withIdentity({ subject: user.id }).query(api.users.getCurrentUser, {});
  expect(me!._id).toBe(userId);

  // Sign out, sign in again with the password that was set.
  expect((await post(w.t, "/sign-out", {}, cookie)).status).toBe(200);
  expect((await signIn(w.t, NEW.email, "wrong password here")).status).toBe(401);
  expect((await signIn(w.t, NEW.email)).status).toBe(200);
});

test("sign-up without a valid invitation is refused", async () => {
  const w = await buildSignInWorld();
  const { token } = await provision(w);
  // No token: accounts are created by admins only.
  const bare = await accept(w, NEW.email);
  expect(bare.status).toBe(403);
  expect(await bare.text()).toContain("invitation");
  // Someone else's token, and an address nobody provisioned.
  await provision(w, { email: "second@sems.test", firstName: "Sec", lastName: "Ond", role: "parent" });
  expect((await accept(w, "second@sems.test", token)).status).toBe(403);
  expect((await accept(w, "stranger@sems.test", token)).status).toBe(403);
  const { userId } = (await asUser(w, w.users.admin).query(api.invitations.listOpen, {}))[0]!;
  expect((await userRow(w.t, userId))!.authUserId).toBeUndefined();
});

test("an invitation expires after 7 days; resend replaces it; revoke stops it", async () => {
  const w = await buildSignInWorld();
  const { userId, token: first } = await provision(w);
  await w.t.run(async (ctx) => {
    const [invitation] = await ctx.db.query("invitations").collect();
    await ctx.db.patch("invitations", invitation!._id, { expiresAt: Date.now() - 1 });
  });
  expect((await w.t.query(api.invitations.describe, { token: first }))!.state).toBe("expired");
  const expired = await accept(w, NEW.email, first);
  expect(expired.status).toBe(403);
  expect(await expired.text()).toContain("expired");

  const admin = asUser(w, w.users.admin);
  expect((await admin.query(api.invitations.listOpen, {})).map((i) => i.state)).toEqual(["expired"]);
  await admin.mutation(api.invitations.resend, { userId });
  const second = await tokenFromMail(w.t, NEW.email, "/accept-invite");
  expect(second).not.toBe(first);
  expect((await w.t.query(api.invitations.describe, { token: first }))!.state).toBe("revoked");
  expect(await admin.mutation(api.invitations.revoke, { userId })).toBe(1);
  expect((await accept(w, NEW.email, second)).status).toBe(403);

  await admin.mutation(api.invitations.resend, { userId });
  const third = await tokenFromMail(w.t, NEW.email, "/accept-invite");
  expect((await accept(w, NEW.email, third)).status).toBe(200);
  // Linked accounts need no invitation any more.
  expect(await outcome(admin.mutation(api.invitations.resend, { userId }))).toBe("CONFLICT");
});

test("a deactivated account cannot accept its invitation or sign in (D7)", async () => {
  const w = await buildSignInWorld();
  const { userId, token } = await provision(w);
  const admin = asUser(w, w.users.admin);
  await admin.mutation(api.users.setActive, { userId, isActive: false });
  expect((await accept(w, NEW.email, token)).status).toBe(403);

  await admin.mutation(api.users.setActive, { userId, isActive: true });
  expect((await accept(w, NEW.email, token)).status).toBe(200);
  await admin.mutation(api.users.setActive, { userId, isActive: false });
  const refused = await signIn(w.t, NEW.email);
  expect(refused.status).toBe(403);
  expect(await refused.text()).toContain("deactivated");
  const authUserId = (await userRow(w.t, userId))!.authUserId!;
  expect(await outcome(w.t.withIdentity({ subject: authUserId }).query(api.students.getStudentsByUser, {}))).toBe("FORBIDDEN");
});

test("the first sign-in of an account created outside an invitation writes the link", async () => {
  const w = await buildSignInWorld();
  // A Better Auth user for an existing SEMS row, created by our own server code (no HTTP request:
  // the path the demo loader's sign-ups take with SEMS_DEMO_SIGN_UP=true).
  const { createAuth } = await import("../auth");
  const created = await w.t.action(async (ctx) => {
    const auth = createAuth(ctx);
    return await auth.api.signUpEmail({ body: { email: w.users.otherTeacher.email, password: PASSWORD, name: "Other" } });
  });
  expect((await userRow(w.t, w.users.otherTeacher._id))!.authUserId).toBe(created.user.id);
  const signedIn = await signIn(w.t, w.users.otherTeacher.email);
  expect(signedIn.status).toBe(200);
  expect((await userRow(w.t, w.users.otherTeacher._id))!.lastLogin).toBeTypeOf("number");
});

test("password reset: mail through the sender with a link into the web app", async () => {
  const w = await buildSignInWorld();
  const { token } = await provision(w);
  expect((await accept(w, NEW.email, token)).status).toBe(200);

  const requested = await post(w.t, "/request-password-reset", { email: NEW.email, redirectTo: `${SITE}/reset-password` });
  expect(requested.status).toBe(200);
  const resetToken = await tokenFromMail(w.t, NEW.email, "/reset-password");
  const reset = await post(w.t, "/reset-password", { token: resetToken, newPassword: "a brand new passphrase" });
  expect(reset.status).toBe(200);
  expect((await signIn(w.t, NEW.email)).status).toBe(401);
  expect((await signIn(w.t, NEW.email, "a brand new passphrase")).status).toBe(200);
  // The token works once.
  expect((await post(w.t, "/reset-password", { token: resetToken, newPassword: "yet another passphrase" })).status).toBe(400);
});

test("the development mailbox is for admins, and only their organization's mail", async () => {
  const w = await buildSignInWorld();
  await provision(w);
  const page = { paginationOpts: { numItems: 10, cursor: null } };
  const mine = await asUser(w, w.users.admin).query(api.mail.devMailbox.listDevMailbox, page);
  expect(mine.page.map((m) => m.to)).toEqual([NEW.email]);
  const foreign = await asUser(w, w.users.foreign).query(api.mail.devMailbox.listDevMailbox, page);
  expect(foreign.page).toEqual([]);
  for (const user of [w.users.caseManager, w.users.parent, w.users.student]) {
    expect(await outcome(asUser(w, user).query(api.mail.devMailbox.listDevMailbox, page))).toBe("FORBIDDEN");
  }
  expect(await outcome(w.t.query(api.mail.devMailbox.listDevMailbox, page))).toBe("UNAUTHENTICATED");
});

test("two-factor (TOTP) can be turned on by staff only", async () => {
  const w = await buildSignInWorld();
  const staff = await provision(w);
  const parent = await provision(w, { email: "new.parent@sems.test", firstName: "Pat", lastName: "Rent", role: "parent" });
  const staffCookie = sessionCookie(await accept(w, NEW.email, staff.token));
  const parentCookie = sessionCookie(await accept(w, "new.parent@sems.test", parent.token));

  const enabled = await post(w.t, "/two-factor/enable", { password: PASSWORD }, staffCookie);
  expect(enabled.status).toBe(200);
  expect(((await enabled.json()) as { totpURI: string }).totpURI).toMatch(/^otpauth:\/\/totp\/SEMS/);

  const refused = await post(w.t, "/two-factor/enable", { password: PASSWORD }, parentCookie);
  expect(refused.status).toBe(403);
  expect(await refused.text()).toContain("staff");
});

test("sign-in attempts are rate-limited", async () => {
  const w = await buildSignInWorld();
  const statuses: number[] = [];
  for (let i = 0; i < 12; i++) statuses.push((await signIn(w.t, w.users.caseManager.email, `wrong guess ${i}!`)).status);
  expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
  expect(statuses.slice(10)).toEqual([429, 429]);
});

test("with SMTP_URL set, mail is queued for the SMTP action instead of the mailbox", async () => {
  /* eslint-disable @convex-dev/no-process-env -- the test sets the deployment's environment */
  const w = await buildSignInWorld();
  process.env.SMTP_URL = "smtp://127.0.0.1:2525";
  try {
    await asUser(w, w.users.admin).mutation(api.users.provisionUser, NEW);
  } finally {
    delete process.env.SMTP_URL;
  }
  /* eslint-enable @convex-dev/no-process-env */
  expect(await mailTo(w.t, NEW.email)).toEqual([]);
  const scheduled = await w.t.run(async (ctx) => await ctx.db.system.query("_scheduled_functions").collect());
  expect(scheduled.map((job) => job.name)).toEqual(["mail/smtpDelivery:deliver"]);
  expect((scheduled[0]!.args[0] as { message: { to: string } }).message.to).toBe(NEW.email);
});
