// Invitations (issue 6): an admin provisions a user, the invitee sets a password from a link.
// The token is 32 random bytes in the link only; the database keeps its SHA-256 (authTables.ts).
// An invitation is good for 7 days, once, and only while it is the user's latest.
import type { Doc } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { enqueueMail } from "../mail/outbox";
import { writeAudit } from "./audit";
import { siteUrl } from "./siteUrl";

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export type InvitationState = "pending" | "expired" | "accepted" | "revoked";

function base64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function newInvitationToken(): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(32)));
}

export async function hashInvitationToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

export function invitationState(invitation: Doc<"invitations">, now: number = Date.now()): InvitationState {
  if (invitation.status !== "pending") return invitation.status;
  return invitation.expiresAt <= now ? "expired" : "pending";
}

export async function findInvitationByToken(ctx: QueryCtx, token: string): Promise<Doc<"invitations"> | null> {
  if (!token) return null;
  const tokenHash = await hashInvitationToken(token);
  return await ctx.db
    .query("invitations")
    .withIndex("by_token_hash", (q) => q.eq("tokenHash", tokenHash))
    .unique();
}

export async function pendingInvitations(ctx: QueryCtx, user: Doc<"users">): Promise<Doc<"invitations">[]> {
  return await ctx.db
    .query("invitations")
    .withIndex("by_user", (q) => q.eq("userId", user._id).eq("status", "pending"))
    .collect();
}

/** Marks the user's open invitations revoked (before a resend, or on the admin's request). */
export async function revokePendingInvitations(ctx: MutationCtx, user: Doc<"users">): Promise<number> {
  const pending = await pendingInvitations(ctx, user);
  for (const invitation of pending) {
    await ctx.db.patch("invitations", invitation._id, { status: "revoked", revokedAt: Date.now() });
  }
  return pending.length;
}

function invitationMail(user: Doc<"users">, organizationName: string, link: string) {
  const greeting = `Hello ${user.firstName},`;
  const text = [
    greeting,
    "",
    `${organizationName} has created a SEMS account for you (${user.email}).`,
    "Choose your password here to sign in:",
    "",
    link,
    "",
    "The link works once and expires in 7 days. If you did not expect this message, ignore it.",
  ].join("\n");
  return { to: user.email, subject: `Your SEMS account at ${organizationName}`, text };
}

/** Creates a fresh invitation for `user` (revoking older ones) and mails its link. */
export async function inviteUser(ctx: MutationCtx, user: Doc<"users">, invitedBy: Doc<"users">): Promise<void> {
  await revokePendingInvitations(ctx, user);
  const token = newInvitationToken();
  const now = Date.now();
  const invitationId = await ctx.db.insert("invitations", {
    organizationId: user.organizationId,
    userId: user._id,
    email: user.email,
    tokenHash: await hashInvitationToken(token),
    expiresAt: now + INVITATION_TTL_MS,
    status: "pending",
    invitedBy: invitedBy._id,
    sentAt: now,
  });
  const organization = await ctx.db.get("organizations", user.organizationId);
  const link = `${siteUrl()}/accept-invite?token=${encodeURIComponent(token)}`;
  await enqueueMail(ctx, invitationMail(user, organization?.name ?? "Your school", link));
  await writeAudit(ctx, {
    organizationId: user.organizationId,
    actorId: invitedBy._id,
    action: "create",
    targetTable: "invitations",
    targetId: invitationId,
    details: `invitation for ${user.email}`,
  });
}
