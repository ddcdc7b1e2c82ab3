// The development mailbox (offline default of mail/outbox.ts): the messages SEMS would have sent,
// newest first. Admins only, and only their own organization's recipients: invitation and reset
// links in it open accounts.
import { paginationOptsValidator } from "convex/server";
import { authedQuery } from "../lib/functions";
import { requireAdmin } from "../model/access";

export const listDevMailbox = authedQuery({
  args: { paginationOpts: paginationOptsValidator },
  handler: async (ctx, args) => {
    requireAdmin(ctx.user);
    return await ctx.db
      .query("devMailbox")
      .withIndex("by_organization", (q) => q.eq("organizationId", ctx.user.organizationId))
      .order("desc")
      .paginate(args.paginationOpts);
  },
});
