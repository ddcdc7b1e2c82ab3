// The SEMS side of Better Auth's callbacks (auth.ts): who may create a sign-in, the D3 link from a
// Better Auth user to a `users` row, who may open a session, who may turn on two-factor. Internal:
// only Better Auth's hooks, running inside our HTTP actions, call these.
import { v } from "convex/values";
import { components } from "./_generated/api";
import type { Doc } from "./_generated/dataModel";
import { env, internalMutation, internalQuery, type QueryCtx } from "./_generated/server";
import { isStaff } from "./model/access";
import { writeAudit } from "./model/audit";
import { accountRefusal, findUserForAuth } from "./model/currentUser";
import { findInvitationByToken, invitationState } from "./model/invitations";

const decision = v.union(
  v.object({ allowed: v.literal(true), invited: v.boolean() }),
  v.object({ allowed: v.literal(false), reason: v.string() }),
);

/** The Better Auth user's email, read from the component (a session carries only the user id). */
async function authUserEmail(ctx: QueryCtx, authUserId: string): Promise<string | undefined> {
  const authUser = (await ctx.runQuery(components.betterAuth.adapter.findOne, {
    model: "user",
    where: [{ field: "_id", value: authUserId }],
  })) as { email?: string } | null;
  return authUser?.email;
}

async function semsUserOf(ctx: QueryCtx, authUserId: string): Promise<Doc<"users"> | null> {
  return await findUserForAuth(ctx, authUserId, await authUserEmail(ctx, authUserId));
}

/**
 * Sign-up is how an invitee sets their password: it must carry a valid invitation for that email.
 * Calls from our own server code (no HTTP request) need only an unlinked, active SEMS account;
 * SEMS_DEMO_SIGN_UP=true extends that to HTTP for the offline demo loader.
 */
export const checkSignUp = internalQuery({
  args: { email: v.string(), invitationToken: v.optional(v.string()), viaHttp: v.boolean() },
  returns: decision,
  handler: async (ctx, args) => {
    const email = args.email.trim().toLowerCase();
    const user = await ctx.db
      .query("users")
      .withIndex("by_email", (q) => q.eq("email", email))
      .unique();
    const refusal = await accountRefusal(ctx, user);
    if (refusal || !user) return { allowed: false as const, reason: refusal ?? "" };
    if (user.authUserId !== undefined) {
      return { allowed: false as const, reason: "This account already has a password. Sign in, or reset your password." };
    }
    if (args.invitationToken !== undefined) {
      const invitation = await findInvitationByToken(ctx, args.invitationToken);
      if (!invitation || invitation.userId !== user._id) {
        return { allowed: false as const, reason: "This invitation link is not valid for this email address." };
      }
      const state = invitationState(invitation);
      if (state !== "pending") {
        return { allowed: false as const, reason: `This invitation is ${state}. Ask your administrator to send a new one.` };
      }
      return { allowed: true as const, invited: true };
    }
    if (!args.viaHttp || env.SEMS_DEMO_SIGN_UP === "true") return { allowed: true as const, invited: false };
    return {
      allowed: false as const,
      reason: "Accounts are created by your administrator. Use the link in your invitation email.",
    };
  },
});

/**
 * D3: links a new Better Auth user to its SEMS account (by email) and consumes the invitation it
 * came with. Runs right after Better Auth created the user, before its first session.
 */
export const linkNewAuthUser = internalMutation({
  args: { authUserId: v.string(), email: v.string(), invitationToken: v.optional(v.string()) },
  returns: v.null(),
  handler: async (ctx, args) => {
    const user = await findUserForAuth(ctx, undefined, args.email);
    if (!user || user.authUserId !== undefined) return null;
    await ctx.db.patch("users", user._id, { authUserId: args.authUserId });
    const invitation = args.invitationToken ? await findInvitationByToken(ctx, args.invitationToken) : null;
    const now = Date.now();
    if (invitation && invitation.userId === user._id && invitationState(invitation, now) === "pending") {
      await ctx.db.patch("invitations", invitation._id, { status: "accepted", acceptedAt: now });
    }
    await writeAudit(ctx, {
      organizationId: user.organizationId,
      actorId: user._id,
      action: "update",
      targetTable: "users",
      targetId: user._id,
      details: invitation ? "invitation accepted, password set" : "sign-in linked",
    });
    return null;
  },
});

/** A session opens only for an active SEMS account of an active organization (D7). */
export const checkSignIn = internalQuery({
  args: { authUserId: v.string() },
  returns: v.union(v.null(), v.string()),
  handler: async (ctx, { authUserId }) => await accountRefusal(ctx, await semsUserOf(ctx, authUserId)),
});

/** After a session opened: the first sign-in writes the D3 link; every sign-in stamps lastLogin. */
export const recordSignIn = internalMutation({
  args: { authUserId: v.string() },
  returns: v.null(),
  handler: async (ctx, { authUserId }) => {
    const user = await semsUserOf(ctx, authUserId);
    if (!user) return null;
    await ctx.db.patch("users", user._id, {
      lastLogin: Date.now(),
      ...(user.authUserId === undefined ? { authUserId } : {}),
    });
    return null;
  },
});

/** Issue 6: two-factor sign-in is for staff (admins, teachers, specialists) only. */
export const mayUseTwoFactor = internalQuery({
  args: { authUserId: v.string() },
  returns: v.boolean(),
  handler: async (ctx, { authUserId }) => {
    const user = await semsUserOf(ctx, authUserId);
    return !!user && user.isActive && isStaff(user);
  },
});
