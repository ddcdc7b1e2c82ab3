// The tables of sign-in (issue 6): invitations and the development mailbox. Kept here, next to
// the code that uses them, and spread into schema.ts. Better Auth's own tables (user, session,
// account, twoFactor, rateLimit, …) live in its component, not in the app's schema.
import { defineTable } from "convex/server";
import { v } from "convex/values";

export const invitationStatus = v.union(v.literal("pending"), v.literal("accepted"), v.literal("revoked"));

export const authTables = {
  // An admin provisions a user (users.provisionUser); the invitee sets a password from the link
  // `${SITE_URL}/accept-invite?token=…`. Only the SHA-256 of the token is stored: a database
  // reader cannot accept someone else's invitation. A resend replaces the token (and its hash).
  invitations: defineTable({
    organizationId: v.id("organizations"),
    userId: v.id("users"),
    email: v.string(),
    tokenHash: v.string(),
    expiresAt: v.number(),
    status: invitationStatus,
    invitedBy: v.id("users"),
    sentAt: v.number(),
    acceptedAt: v.optional(v.number()),
    revokedAt: v.optional(v.number()),
  })
    .index("by_token_hash", ["tokenHash"])
    .index("by_user", ["userId", "status"])
    .index("by_organization", ["organizationId", "status"]),

  // Offline default of mail/sender.ts (no SMTP_URL): every message lands here (and in the backend
  // log). Admins read their own organization's messages (mail/devMailbox.ts).
  devMailbox: defineTable({
    organizationId: v.optional(v.id("organizations")),
    to: v.string(),
    subject: v.string(),
    text: v.string(),
    html: v.optional(v.string()),
    sentAt: v.number(),
  }).index("by_organization", ["organizationId", "sentAt"]),
};
