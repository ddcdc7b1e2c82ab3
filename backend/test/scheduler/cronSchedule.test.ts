// Next-run arithmetic for every schedule `cronJobs()` produces (UTC).
import { describe, expect, it } from "vitest";
import { firstRun, nextCronTime, nextRun } from "../../src/scheduler/cronSchedule.js";

const at = (iso: string) => Date.parse(iso);

describe("cron schedules", () => {
  it("interval jobs run at once when deployed, then every interval; missed runs collapse into one", () => {
    const now = at("2026-03-01T10:00:00Z");
    expect(firstRun({ type: "interval", seconds: 30 }, "a", now)).toBe(now);
    expect(nextRun({ type: "interval", minutes: 5 }, "a", now, now + 10)).toBe(now + 5 * 60_000);
    // Down for an hour: the next run is an interval after the catch-up, not in the past.
    expect(nextRun({ type: "interval", minutes: 5 }, "a", now, now + 3_600_000)).toBe(now + 3_600_000 + 5 * 60_000);
  });

  it("cron expressions: steps, ranges, lists, day-of-week or day-of-month", () => {
    expect(nextCronTime("*/15 * * * *", at("2026-03-01T10:07:30Z"))).toBe(at("2026-03-01T10:15:00Z"));
    expect(nextCronTime("0 9-17 * * 1-5", at("2026-02-27T17:30:00Z"))).toBe(at("2026-03-02T09:00:00Z")); // Fri evening → Mon
    expect(nextCronTime("30 6 1,15 * *", at("2026-03-02T00:00:00Z"))).toBe(at("2026-03-15T06:30:00Z"));
    expect(nextCronTime("0 0 13 * 5", at("2026-03-01T00:00:00Z"))).toBe(at("2026-03-06T00:00:00Z")); // a Friday comes first
    expect(nextCronTime("0 0 29 2 *", at("2026-03-01T00:00:00Z"))).toBe(at("2028-02-29T00:00:00Z"));
    expect(() => nextCronTime("61 * * * *", 0)).toThrow(/minute/);
    expect(() => nextCronTime("* * *", 0)).toThrow(/5 fields/);
  });

  it("hourly, daily, weekly and monthly", () => {
    const from = at("2026-03-04T10:20:00Z"); // a Wednesday
    expect(nextRun({ type: "hourly", minuteUTC: 5 }, "h", from, from)).toBe(at("2026-03-04T11:05:00Z"));
    expect(nextRun({ type: "daily", hourUTC: 3, minuteUTC: 0 }, "d", from, from)).toBe(at("2026-03-05T03:00:00Z"));
    expect(nextRun({ type: "weekly", dayOfWeek: "monday", hourUTC: 8, minuteUTC: 30 }, "w", from, from)).toBe(at("2026-03-09T08:30:00Z"));
    expect(nextRun({ type: "monthly", day: 1, hourUTC: 0, minuteUTC: 0 }, "m", from, from)).toBe(at("2026-04-01T00:00:00Z"));
    // Without minuteUTC the minute is fixed per job name.
    const a = nextRun({ type: "hourly" }, "job-a", from, from);
    expect(nextRun({ type: "hourly" }, "job-a", from, from)).toBe(a);
  });
});
