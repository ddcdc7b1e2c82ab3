// D3: the caller's user is resolved once, here, for every public function.
// Identity → user: the identity's `email` claim matched on users.by_email (as the specification
// does); identities without an email (or whose email changed at the provider) match on
// users.by_auth_user_id against the identity's `subject`. Nothing else is trusted.
import type { UserIdentity } from "convex/server";
import type { Doc } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
import { forbidden, unauthenticated } from "../lib/errors";

export async function findUserForIdentity(
  ctx: QueryCtx,
  identity: UserIdentity,
): Promise<Doc<"users"> | null> {
  if (identity.email) {
    const email = identity.email.toLowerCase();
    const byEmail = await ctx.db
      .query("users")
      .withIndex("by_email", (q) => q.eq("email", email))
      .unique();
    if (byEmail) return byEmail;
  }
  return await ctx.db
    .query("users")
    .withIndex("by_auth_user_id", (q) => q.eq("authUserId", identity.subject))
    .unique();
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
