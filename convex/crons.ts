// Scheduled jobs: D10 expires IEPs past their expiration date every day (and the student's
// iepStatus follows); D12 editing sessions idle for a day are pruned.
import { cronJobs } from "convex/server";
import { internal } from "./_generated/api";

const crons = cronJobs();

crons.daily("expire IEPs past their expiration date", { hourUTC: 6, minuteUTC: 17 }, internal.ieps.expireOverdue, {});
crons.daily("prune stale editing sessions", { hourUTC: 6, minuteUTC: 43 }, internal.collaboration.pruneStaleSessions, {});

export default crons;
