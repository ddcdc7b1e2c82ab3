// D3: the caller's user is resolved once, here, for every public function.
// Identity → user (issue 6): the identity's `subject` — with Better Auth, its user id, the JWT
// `sub` — matched on users.by_auth_user_id; an identity not linked yet falls back to its `email`
// claim on users.by_email (as the specification does). The link is written when the invitee
// accepts the invitation or signs in for the first time (authLinks.ts). Nothing else is trusted.
import type { UserIdentity } from "convex/server";
import type { Doc } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
import { forbidden, unauthenticated } from "../lib/errors";

/** The SEMS user of a sign-in: by its auth user id first, then by its email. */
export async function findUserForAuth(
  ctx: QueryCtx,
  authUserId: string | undefined,
  email: string | undefined,
): Promise<Doc<"users"> | null> {
  if (authUserId) {
    const linked = await ctx.db
      .query("users")
      .withIndex("by_auth_user_id", (q) => q.eq("authUserId", authUserId))
      .unique();
    if (linked) return linked;
  }
  if (!email) return null;
  return await ctx.db
    .query("users")
    .withIndex("by_email", (q) => q.eq("email", email.trim().toLowerCase()))
    .unique();
}

export async function findUserForIdentity(
  ctx: QueryCtx,
  identity: UserIdentity,
): Promise<Doc<"users"> | null> {
  return await findUserForAuth(ctx, identity.subject, identity.email);
}

/** The signed-in user or null (anonymous, or no SEMS account for this identity). */
export async function getCurrentUserOrNull(ctx: QueryCtx): Promise<Doc<"users"> | null> {
  const identity = await ctx.auth.getUserIdentity();
  if (!identity) return null;
  return await findUserForIdentity(ctx, identity);
}

/** D7: the signed-in, active user; refuses anonymous callers and deactivated accounts. */
export async function requireActiveUser(ctx: QueryCtx): Promise<Doc<"users">> {
  const user = await getCurrentUserOrNull(ctx);
  if (!user) return unauthenticated();
  if (!user.isActive) {
    return forbidden("Your account is deactivated. Ask your organization's administrator.");
  }
  const organization = await ctx.db.get("organizations", user.organizationId);
  if (!organization || !organization.isActive) {
    return forbidden("Your organization's account is not active.");
  }
  return user;
}

/** Why this account may not sign in (deactivated user or organization), or null. */
export async function accountRefusal(ctx: QueryCtx, user: Doc<"users"> | null): Promise<string | null> {
  if (!user) return "No SEMS account uses this sign-in. Ask your organization's administrator.";
  if (!user.isActive) return "Your account is deactivated. Ask your organization's administrator.";
  const organization = await ctx.db.get("organizations", user.organizationId);
  if (!organization || !organization.isActive) return "Your organization's account is not active.";
  return null;
}
