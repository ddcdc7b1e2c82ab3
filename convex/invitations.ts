// Invitations (issue 6): what the web app's /accept-invite page shows, and the admin's resend and
// revoke. Creating one is part of users.provisionUser; accepting one is Better Auth's sign-up with
// the token (auth.ts, README "Sign-in").
import { v } from "convex/values";
import type { Doc } from "./_generated/dataModel";
import { query, type MutationCtx } from "./_generated/server";
import { conflict, invalid, notFound } from "./lib/errors";
import { authedMutation, authedQuery } from "./lib/functions";
import { requireAdmin, requireOwnOrganization } from "./model/access";
import { writeAudit } from "./model/audit";
import {
  findInvitationByToken,
  invitationState,
  inviteUser,
  revokePendingInvitations,
} from "./model/invitations";

const invitationStateValidator = v.union(
  v.literal("pending"),
  v.literal("expired"),
  v.literal("accepted"),
  v.literal("revoked"),
);

/**
 * For /accept-invite?token=…: whom the invitation is for and whether it can still be used.
 * Anonymous (the invitee has no sign-in yet); the token is the credential, so an unknown token
 * reveals nothing.
 */
export const describe = query({
  args: { token: v.string() },
  returns: v.union(
    v.null(),
    v.object({
      email: v.string(),
      firstName: v.string(),
      lastName: v.string(),
      organizationName: v.string(),
      state: invitationStateValidator,
      expiresAt: v.number(),
    }),
  ),
  handler: async (ctx, { token }) => {
    const invitation = await findInvitationByToken(ctx, token);
    if (!invitation) return null;
    const user = await ctx.db.get("users", invitation.userId);
    const organization = await ctx.db.get("organizations", invitation.organizationId);
    if (!user || !organization) return null;
    return {
      email: user.email,
      firstName: user.firstName,
      lastName: user.lastName,
      organizationName: organization.name,
      state: invitationState(invitation),
      expiresAt: invitation.expiresAt,
    };
  },
});

/** Admin: the organization's open invitations (pending or expired, not yet accepted). */
export const listOpen = authedQuery({
  args: {},
  handler: async (ctx) => {
    requireAdmin(ctx.user);
    const open = await ctx.db
      .query("invitations")
      .withIndex("by_organization", (q) => q.eq("organizationId", ctx.user.organizationId).eq("status", "pending"))
      .collect();
    return open.map((invitation) => ({
      _id: invitation._id,
      userId: invitation.userId,
      email: invitation.email,
      sentAt: invitation.sentAt,
      expiresAt: invitation.expiresAt,
      state: invitationState(invitation),
    }));
  },
});

async function invitableUser(ctx: MutationCtx, admin: Doc<"users">, userId: Doc<"users">["_id"]) {
  const user = await ctx.db.get("users", userId);
  if (!user) return notFound("The user");
  requireOwnOrganization(admin, user.organizationId);
  return user;
}

/** Admin: a new link (the old one stops working), for a user who has not set a password yet. */
export const resend = authedMutation({
  args: { userId: v.id("users") },
  returns: v.null(),
  handler: async (ctx, { userId }) => {
    requireAdmin(ctx.user);
    const user = await invitableUser(ctx, ctx.user, userId);
    if (user.authUserId !== undefined) conflict(`${user.email} has already set a password.`);
    if (!user.isActive) invalid("Reactivate the account before inviting its user.");
    await inviteUser(ctx, user, ctx.user);
    return null;
  },
});

/** Admin: the open invitation stops working at once. The account stays (deactivate it separately). */
export const revoke = authedMutation({
  args: { userId: v.id("users") },
  returns: v.number(),
  handler: async (ctx, { userId }) => {
    requireAdmin(ctx.user);
    const user = await invitableUser(ctx, ctx.user, userId);
    const revoked = await revokePendingInvitations(ctx, user);
    if (revoked > 0) {
      await writeAudit(ctx, {
        organizationId: user.organizationId,
        actorId: ctx.user._id,
        action: "status_change",
        targetTable: "invitations",
        targetId: user._id,
        details: `invitation for ${user.email} revoked`,
      });
    }
    return revoked;
  },
});
