// When a cron job next runs, for every schedule `cronJobs()` produces
// (node_modules/convex/src/server/cron.ts): interval, a five-field cron
// expression, hourly, daily, weekly, monthly. All times are UTC, as in Convex.

export type CronScheduleSpec =
  | { type: "interval"; seconds?: number; minutes?: number; hours?: number }
  | { type: "cron"; cron: string }
  | { type: "hourly"; minuteUTC?: number }
  | { type: "daily"; hourUTC: number; minuteUTC?: number }
  | { type: "weekly"; dayOfWeek: string; hourUTC: number; minuteUTC?: number }
  | { type: "monthly"; day: number; hourUTC: number; minuteUTC?: number };

const DAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

/** The interval in ms of an interval schedule, or null for calendar schedules. */
export function intervalMs(schedule: CronScheduleSpec): number | null {
  if (schedule.type !== "interval") return null;
  return ((schedule.seconds ?? 0) + (schedule.minutes ?? 0) * 60 + (schedule.hours ?? 0) * 3600) * 1000;
}

/**
 * Without `minuteUTC`, Convex picks a minute per job to spread runs across the
 * hour; we derive it from the job's name so it is stable across restarts.
 */
export function defaultMinute(identifier: string): number {
  let hash = 0;
  for (const char of identifier) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % 60;
}

/** The calendar schedules as cron expressions. */
export function asCronExpression(schedule: CronScheduleSpec, identifier: string): string | null {
  switch (schedule.type) {
    case "cron":
      return schedule.cron;
    case "hourly":
      return `${schedule.minuteUTC ?? defaultMinute(identifier)} * * * *`;
    case "daily":
      return `${schedule.minuteUTC ?? defaultMinute(identifier)} ${schedule.hourUTC} * * *`;
    case "weekly": {
      const day = DAYS.indexOf(schedule.dayOfWeek.toLowerCase());
      if (day < 0) throw new Error(`Invalid day of week ${JSON.stringify(schedule.dayOfWeek)}`);
      return `${schedule.minuteUTC ?? defaultMinute(identifier)} ${schedule.hourUTC} * * ${day}`;
    }
    case "monthly":
      return `${schedule.minuteUTC ?? defaultMinute(identifier)} ${schedule.hourUTC} ${schedule.day} * *`;
    default:
      return null;
  }
}

interface ParsedCron {
  minutes: Set<number>;
  hours: Set<number>;
  daysOfMonth: Set<number>;
  months: Set<number>;
  daysOfWeek: Set<number>;
  /** Vixie cron: when both day fields are restricted, a day matching either runs. */
  domRestricted: boolean;
  dowRestricted: boolean;
}

function parseField(text: string, min: number, max: number, what: string): { values: Set<number>; restricted: boolean } {
  const values = new Set<number>();
  for (const part of text.split(",")) {
    const [rangeText, stepText] = part.split("/");
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new Error(`Invalid step in cron ${what} field: ${JSON.stringify(part)}`);
    let low: number;
    let high: number;
    if (rangeText === "*") {
      low = min;
      high = max;
    } else if (rangeText.includes("-")) {
      [low, high] = rangeText.split("-").map(Number) as [number, number];
    } else {
      low = Number(rangeText);
      high = stepText === undefined ? low : max;
    }
    if (!Number.isInteger(low) || !Number.isInteger(high) || low < min || high > max || low > high) {
      throw new Error(`Invalid cron ${what} field: ${JSON.stringify(part)} (allowed ${min}-${max})`);
    }
    for (let value = low; value <= high; value += step) values.add(value);
  }
  return { values, restricted: text !== "*" };
}

export function parseCron(expression: string): ParsedCron {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) throw new Error(`A cron expression needs 5 fields (minute hour day-of-month month day-of-week): ${JSON.stringify(expression)}`);
  const dow = parseField(fields[4]!, 0, 7, "day-of-week");
  if (dow.values.delete(7)) dow.values.add(0); // 7 is Sunday too
  const dom = parseField(fields[2]!, 1, 31, "day-of-month");
  return {
    minutes: parseField(fields[0]!, 0, 59, "minute").values,
    hours: parseField(fields[1]!, 0, 23, "hour").values,
    daysOfMonth: dom.values,
    months: parseField(fields[3]!, 1, 12, "month").values,
    daysOfWeek: dow.values,
    domRestricted: dom.restricted,
    dowRestricted: dow.restricted,
  };
}

function dayMatches(cron: ParsedCron, date: Date): boolean {
  const dom = cron.daysOfMonth.has(date.getUTCDate());
  const dow = cron.daysOfWeek.has(date.getUTCDay());
  if (cron.domRestricted && cron.dowRestricted) return dom || dow;
  return dom && dow;
}

/** The first minute strictly after `afterMs` that the expression selects. */
export function nextCronTime(expression: string, afterMs: number): number {
  const cron = parseCron(expression);
  const date = new Date(Math.floor(afterMs / 60_000) * 60_000 + 60_000);
  // Five years covers every valid expression (Feb 29 falls within four).
  const limit = afterMs + 5 * 366 * 24 * 3600 * 1000;
  while (date.getTime() <= limit) {
    if (!cron.months.has(date.getUTCMonth() + 1)) {
      date.setUTCMonth(date.getUTCMonth() + 1, 1);
      date.setUTCHours(0, 0, 0, 0);
      continue;
    }
    if (!dayMatches(cron, date)) {
      date.setUTCDate(date.getUTCDate() + 1);
      date.setUTCHours(0, 0, 0, 0);
      continue;
    }
    if (!cron.hours.has(date.getUTCHours())) {
      date.setUTCHours(date.getUTCHours() + 1, 0, 0, 0);
      continue;
    }
    if (!cron.minutes.has(date.getUTCMinutes())) {
      date.setUTCMinutes(date.getUTCMinutes() + 1, 0, 0);
      continue;
    }
    return date.getTime();
  }
  throw new Error(`The cron expression ${JSON.stringify(expression)} never fires.`);
}

/** When a newly deployed (or changed) job first runs: an interval job at once, as Convex does; a calendar job at its next minute. */
export function firstRun(schedule: CronScheduleSpec, identifier: string, nowMs: number): number {
  if (intervalMs(schedule) !== null) return nowMs;
  return nextCronTime(asCronExpression(schedule, identifier)!, nowMs);
}

/**
 * The run after the one due at `scheduledMs` that ran at `nowMs`. Runs missed
 * while the backend was down collapse into the one just made (it ran once, on
 * start): the next is never in the past.
 */
export function nextRun(schedule: CronScheduleSpec, identifier: string, scheduledMs: number, nowMs: number): number {
  const interval = intervalMs(schedule);
  if (interval !== null) {
    if (!(interval > 0)) throw new Error(`Invalid interval for cron job ${JSON.stringify(identifier)}`);
    const next = scheduledMs + interval;
    return next > nowMs ? next : nowMs + interval;
  }
  return nextCronTime(asCronExpression(schedule, identifier)!, Math.max(scheduledMs, nowMs));
}
