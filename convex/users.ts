// Users: the specification's getCurrentUser and getUsersByOrganization (D2, D3), and the
// administration of accounts (provision, role, activation) and a user's own preferences.
import { paginationOptsValidator } from "convex/server";
import { v } from "convex/values";
import type { Doc, Id } from "./_generated/dataModel";
import { query, type MutationCtx } from "./_generated/server";
import { conflict, forbidden, invalid, limitExceeded, notFound } from "./lib/errors";
import { authedMutation, authedQuery } from "./lib/functions";
import { requireAdmin, requireOwnOrganization, requireStaff } from "./model/access";
import { writeAudit } from "./model/audit";
import { getCurrentUserOrNull } from "./model/currentUser";
import { inviteUser } from "./model/invitations";
import { userRole } from "./model/validators";

const preferences = v.object({ notifications: v.boolean(), theme: v.string(), language: v.string() });

/** Spec: the signed-in user, or null for anonymous callers and identities without an account. */
export const getCurrentUser = query({
  args: {},
  handler: async (ctx) => {
    const user = await getCurrentUserOrNull(ctx);
    if (user && !user.isActive) {
      forbidden("Your account is deactivated. Ask your organization's administrator.");
    }
    return user;
  },
});

/**
 * Spec: the active users of the caller's organization. Refuses other organizations (D6) and, as
 * minimum necessary access, parents and students: the staff directory is for staff.
 */
export const getUsersByOrganization = authedQuery({
  args: { organizationId: v.id("organizations") },
  handler: async (ctx, args) => {
    requireOwnOrganization(ctx.user, args.organizationId);
    requireStaff(ctx.user);
    return await ctx.db
      .query("users")
      .withIndex("by_organization", (q) =>
        q.eq("organizationId", args.organizationId).eq("isActive", true),
      )
      .collect();
  },
});

/** Admin: every account of the organization, optionally one role, paginated. */
export const list = authedQuery({
  args: { paginationOpts: paginationOptsValidator, role: v.optional(userRole) },
  handler: async (ctx, args) => {
    requireAdmin(ctx.user);
    const organizationId = ctx.user.organizationId;
    const role = args.role;
    const source =
      role === undefined
        ? ctx.db.query("users").withIndex("by_organization", (q) => q.eq("organizationId", organizationId))
        : ctx.db
            .query("users")
            .withIndex("by_role", (q) => q.eq("organizationId", organizationId).eq("role", role));
    return await source.paginate(args.paginationOpts);
  },
});

async function countActiveUsers(ctx: MutationCtx, organizationId: Id<"organizations">) {
  const active = await ctx.db
    .query("users")
    .withIndex("by_organization", (q) => q.eq("organizationId", organizationId).eq("isActive", true))
    .collect();
  return active.length;
}

/** D8: refuses a new active account beyond the organization's maxUsers. */
async function requireUserCapacity(ctx: MutationCtx, organizationId: Id<"organizations">) {
  const organization = await ctx.db.get("organizations", organizationId);
  if (!organization) return notFound("The organization");
  if ((await countActiveUsers(ctx, organizationId)) >= organization.maxUsers) {
    limitExceeded(
      `Your organization has reached its limit of ${organization.maxUsers} active users. ` +
        "Deactivate an account or raise the limit first.",
    );
  }
}

async function loadUserInOrganization(ctx: MutationCtx, admin: Doc<"users">, userId: Id<"users">) {
  const target = await ctx.db.get("users", userId);
  if (!target) return notFound("The user");
  requireOwnOrganization(admin, target.organizationId);
  return target;
}

/**
 * Admin: create an account for a person of the organization (D8: within maxUsers) and mail them
 * an invitation to set their password (issue 6; invitations.ts resends and revokes). An account
 * provisioned with an existing `authUserId` is linked already and gets no invitation.
 */
export const provisionUser = authedMutation({
  args: {
    email: v.string(),
    firstName: v.string(),
    lastName: v.string(),
    role: userRole,
    phoneNumber: v.optional(v.string()),
    authUserId: v.optional(v.string()),
    studentId: v.optional(v.id("students")),
  },
  returns: v.id("users"),
  handler: async (ctx, args) => {
    requireAdmin(ctx.user);
    const email = args.email.trim().toLowerCase();
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) invalid(`"${args.email}" is not an email address.`);
    if (!args.firstName.trim() || !args.lastName.trim()) invalid("First and last name are required.");
    const existing = await ctx.db
      .query("users")
      .withIndex("by_email", (q) => q.eq("email", email))
      .first();
    if (existing) conflict(`An account with the email ${email} already exists.`);
    if ((args.role === "student") !== (args.studentId !== undefined)) {
      invalid("A student account must be linked to its student record, and only a student account.");
    }
    if (args.studentId !== undefined) {
      const student = await ctx.db.get("students", args.studentId);
      if (!student) return notFound("The student");
      requireOwnOrganization(ctx.user, student.organizationId);
    }
    await requireUserCapacity(ctx, ctx.user.organizationId);
    const userId = await ctx.db.insert("users", {
      email,
      firstName: args.firstName.trim(),
      lastName: args.lastName.trim(),
      role: args.role,
      organizationId: ctx.user.organizationId,
      isActive: true,
      ...(args.phoneNumber !== undefined ? { phoneNumber: args.phoneNumber } : {}),
      ...(args.authUserId !== undefined ? { authUserId: args.authUserId } : {}),
      ...(args.studentId !== undefined ? { studentId: args.studentId } : {}),
    });
    await writeAudit(ctx, {
      organizationId: ctx.user.organizationId,
      studentId: args.studentId,
      actorId: ctx.user._id,
      action: "create",
      targetTable: "users",
      targetId: userId,
      details: `role ${args.role}`,
    });
    if (args.authUserId === undefined) {
      const user = await ctx.db.get("users", userId);
      if (user) await inviteUser(ctx, user, ctx.user);
    }
    return userId;
  },
});

/** Admin: change another user's role (not one's own, so an organization keeps its admin). */
export const changeRole = authedMutation({
  args: { userId: v.id("users"), role: userRole },
  returns: v.null(),
  handler: async (ctx, args) => {
    requireAdmin(ctx.user);
    const target = await loadUserInOrganization(ctx, ctx.user, args.userId);
    if (target._id === ctx.user._id) forbidden("You cannot change your own role.");
    if (args.role === "student" && target.studentId === undefined) {
      invalid("Only an account linked to a student record can have the student role.");
    }
    await ctx.db.patch("users", target._id, { role: args.role });
    await writeAudit(ctx, {
      organizationId: target.organizationId,
      actorId: ctx.user._id,
      action: "update",
      targetTable: "users",
      targetId: target._id,
      details: `role ${target.role} → ${args.role}`,
    });
    return null;
  },
});

/** Admin: deactivate (refused everywhere from then on, D7) or reactivate (D8: within maxUsers). */
export const setActive = authedMutation({
  args: { userId: v.id("users"), isActive: v.boolean() },
  returns: v.null(),
  handler: async (ctx, args) => {
    requireAdmin(ctx.user);
    const target = await loadUserInOrganization(ctx, ctx.user, args.userId);
    if (target._id === ctx.user._id) forbidden("You cannot deactivate your own account.");
    if (target.isActive === args.isActive) return null;
    if (args.isActive) await requireUserCapacity(ctx, target.organizationId);
    await ctx.db.patch("users", target._id, { isActive: args.isActive });
    await writeAudit(ctx, {
      organizationId: target.organizationId,
      actorId: ctx.user._id,
      action: "status_change",
      targetTable: "users",
      targetId: target._id,
      details: args.isActive ? "reactivated" : "deactivated",
    });
    return null;
  },
});

/** Anyone signed in: their own preferences (language drives notices, domain.md). */
export const updatePreferences = authedMutation({
  args: { preferences },
  returns: v.null(),
  handler: async (ctx, args) => {
    await ctx.db.patch("users", ctx.user._id, { preferences: args.preferences });
    return null;
  },
});

/** Anyone signed in: their own name and phone number. */
export const updateOwnProfile = authedMutation({
  args: {
    firstName: v.optional(v.string()),
    lastName: v.optional(v.string()),
    phoneNumber: v.optional(v.string()),
  },
  returns: v.null(),
  handler: async (ctx, args) => {
    if (args.firstName !== undefined && !args.firstName.trim()) invalid("First name cannot be empty.");
    if (args.lastName !== undefined && !args.lastName.trim()) invalid("Last name cannot be empty.");
    await ctx.db.patch("users", ctx.user._id, {
      ...(args.firstName !== undefined ? { firstName: args.firstName.trim() } : {}),
      ...(args.lastName !== undefined ? { lastName: args.lastName.trim() } : {}),
      ...(args.phoneNumber !== undefined ? { phoneNumber: args.phoneNumber } : {}),
    });
    return null;
  },
});

/** Anyone signed in: stamps lastLogin (queries cannot write, so the app calls this at sign-in). */
export const recordLogin = authedMutation({
  args: {},
  returns: v.null(),
  handler: async (ctx) => {
    await ctx.db.patch("users", ctx.user._id, { lastLogin: Date.now() });
    return null;
  },
});
