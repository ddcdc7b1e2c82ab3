// D5: calendar dates are YYYY-MM-DD strings in the organization's timezone, validated on write;
// instants are milliseconds since the epoch. Date arithmetic lives in calendarDate.ts; this adds
// what server functions need: validation with a person-readable error, and "today" in a timezone.
import { invalid } from "../lib/errors";
import { isCalendarDate } from "./calendarDate";

export { addDays, daysBetween } from "./calendarDate";

/** Refuses a value that is not a real calendar date, naming the field for the person. */
export function requireIsoDate(value: string, field: string): string {
  if (!isCalendarDate(value)) invalid(`${field} must be a date written YYYY-MM-DD (got "${value}").`);
  return value;
}

export function requireOptionalIsoDate(value: string | undefined, field: string) {
  if (value !== undefined) requireIsoDate(value, field);
  return value;
}

// Building an Intl.DateTimeFormat costs far more than formatting with one, and dashboards ask for
// today once per student: one formatter per time zone, kept for the life of the module.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    // en-CA formats as YYYY-MM-DD. Throws for an unknown zone (nothing is cached then).
    formatter = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Today's date in `timeZone` (an IANA name; UTC when absent or unknown). */
export function todayIso(timeZone?: string, now: number = Date.now()): string {
  try {
    return formatterFor(timeZone ?? "UTC").format(new Date(now));
  } catch {
    return new Date(now).toISOString().slice(0, 10);
  }
}
