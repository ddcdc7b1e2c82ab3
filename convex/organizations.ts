// Organizations: the caller's own organization, its settings and compliance settings (admin),
// its usage against the subscription limits (D8), and the limits themselves (operator only).
import { v } from "convex/values";
import { internalMutation } from "./_generated/server";
import { invalid, notFound } from "./lib/errors";
import { authedMutation, authedQuery } from "./lib/functions";
import { requireAdmin } from "./model/access";
import { writeAudit } from "./model/audit";
import { requireIsoDate } from "./model/dates";

/** Any signed-in user: their own organization (D6: never another). */
export const getMine = authedQuery({
  args: {},
  handler: async (ctx) => {
    const organization = await ctx.db.get("organizations", ctx.user.organizationId);
    if (!organization) return notFound("Your organization");
    return organization;
  },
});

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** Admin: general settings. Reporting periods are period end dates (D8). */
export const updateSettings = authedMutation({
  args: {
    name: v.optional(v.string()),
    timezone: v.optional(v.string()),
    academicYear: v.optional(v.object({ start: v.string(), end: v.string() })),
    gradeSystem: v.optional(v.array(v.string())),
    reportingPeriods: v.optional(v.array(v.string())),
  },
  returns: v.null(),
  handler: async (ctx, args) => {
    requireAdmin(ctx.user);
    const organization = await ctx.db.get("organizations", ctx.user.organizationId);
    if (!organization) return notFound("Your organization");
    if (args.name !== undefined && !args.name.trim()) invalid("The organization's name cannot be empty.");
    if (args.timezone !== undefined && !isTimeZone(args.timezone)) {
      invalid(`"${args.timezone}" is not a time zone name such as America/Chicago.`);
    }
    if (args.academicYear) {
      requireIsoDate(args.academicYear.start, "The academic year's start");
      requireIsoDate(args.academicYear.end, "The academic year's end");
      if (args.academicYear.end <= args.academicYear.start) {
        invalid("The academic year must end after it starts.");
      }
    }
    const reportingPeriods = args.reportingPeriods?.map((d) => requireIsoDate(d, "A reporting period end")).sort();
    const settings = {
      ...organization.settings,
      ...(args.timezone !== undefined ? { timezone: args.timezone } : {}),
      ...(args.academicYear !== undefined ? { academicYear: args.academicYear } : {}),
      ...(args.gradeSystem !== undefined ? { gradeSystem: args.gradeSystem } : {}),
      ...(reportingPeriods !== undefined ? { reportingPeriods } : {}),
    };
    await ctx.db.patch("organizations", organization._id, {
      settings,
      ...(args.name !== undefined ? { name: args.name.trim() } : {}),
    });
    await writeAudit(ctx, {
      organizationId: organization._id,
      actorId: ctx.user._id,
      action: "update",
      targetTable: "organizations",
      targetId: organization._id,
      details: `settings: ${Object.keys(args).join(", ")}`,
    });
    return null;
  },
});

/** Admin: the compliance clocks' parameters (D8: days, days, years; domain.md: state timelines). */
export const updateComplianceSettings = authedMutation({
  args: {
    iepReviewCycle: v.number(),
    evaluationCycle: v.number(),
    transitionAge: v.number(),
    initialEvaluationDays: v.optional(v.number()),
  },
  returns: v.null(),
  handler: async (ctx, args) => {
    requireAdmin(ctx.user);
    const organization = await ctx.db.get("organizations", ctx.user.organizationId);
    if (!organization) return notFound("Your organization");
    const positiveWhole = (n: number) => Number.isInteger(n) && n > 0;
    // Federal law is the ceiling: states may be stricter, never looser (domain.md).
    if (!positiveWhole(args.iepReviewCycle) || args.iepReviewCycle > 365) {
      invalid("The IEP review cycle must be a whole number of days between 1 and 365.");
    }
    if (!positiveWhole(args.evaluationCycle) || args.evaluationCycle > 1095) {
      invalid("The reevaluation cycle must be a whole number of days between 1 and 1095.");
    }
    if (!positiveWhole(args.transitionAge) || args.transitionAge > 16) {
      invalid("The transition age must be a whole number of years, 16 or younger.");
    }
    if (args.initialEvaluationDays !== undefined && !positiveWhole(args.initialEvaluationDays)) {
      invalid("The initial evaluation timeline must be a whole number of days.");
    }
    await ctx.db.patch("organizations", organization._id, {
      settings: { ...organization.settings, complianceSettings: { ...args } },
    });
    await writeAudit(ctx, {
      organizationId: organization._id,
      actorId: ctx.user._id,
      action: "update",
      targetTable: "organizations",
      targetId: organization._id,
      details: "complianceSettings",
    });
    return null;
  },
});

/** Admin: active users and enrolled students against the subscription's limits (D8). */
export const getUsage = authedQuery({
  args: {},
  returns: v.object({
    activeUsers: v.number(),
    maxUsers: v.number(),
    activeStudents: v.number(),
    maxStudents: v.number(),
  }),
  handler: async (ctx) => {
    requireAdmin(ctx.user);
    const organizationId = ctx.user.organizationId;
    const organization = await ctx.db.get("organizations", organizationId);
    if (!organization) return notFound("Your organization");
    const users = await ctx.db
      .query("users")
      .withIndex("by_organization", (q) => q.eq("organizationId", organizationId).eq("isActive", true))
      .collect();
    const students = await ctx.db
      .query("students")
      .withIndex("by_status", (q) => q.eq("organizationId", organizationId).eq("enrollmentStatus", "active"))
      .collect();
    return {
      activeUsers: users.length,
      maxUsers: organization.maxUsers,
      activeStudents: students.length,
      maxStudents: organization.maxStudents,
    };
  },
});

/** Operator only (internal): limits follow the subscription, which a school admin cannot change. */
export const setLimits = internalMutation({
  args: {
    organizationId: v.id("organizations"),
    subscriptionTier: v.union(v.literal("basic"), v.literal("professional"), v.literal("enterprise")),
    maxUsers: v.number(),
    maxStudents: v.number(),
  },
  returns: v.null(),
  handler: async (ctx, args) => {
    const organization = await ctx.db.get("organizations", args.organizationId);
    if (!organization) return notFound("The organization");
    if (args.maxUsers < 1 || args.maxStudents < 0) invalid("Limits must be positive.");
    await ctx.db.patch("organizations", args.organizationId, {
      subscriptionTier: args.subscriptionTier,
      maxUsers: args.maxUsers,
      maxStudents: args.maxStudents,
    });
    return null;
  },
});
