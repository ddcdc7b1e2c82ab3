/**
 * Calendar dates (`YYYY-MM-DD`, D5) as whole day numbers.
 *
 * Dates are parsed as UTC calendar dates so that arithmetic never drifts with the machine's
 * timezone or daylight-saving changes: day n is `Date.UTC(y, m - 1, d) / 86_400_000`.
 * Pure functions, no Convex imports; shared by progressMath.ts, complianceClocks.ts and the
 * demo generator.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 for a `YYYY-MM-DD` string; throws RangeError on anything else. */
export function toDayNumber(date: string): number {
  const match = ISO_DATE.exec(date);
  if (!match) throw new RangeError(`Invalid calendar date "${date}": expected YYYY-MM-DD`);
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const ms = Date.UTC(year, month - 1, day);
  const check = new Date(ms);
  // Date.UTC silently rolls 2025-02-30 over to March; refuse it instead.
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw new RangeError(`Invalid calendar date "${date}": no such day`);
  }
  return Math.round(ms / MS_PER_DAY);
}

/** The `YYYY-MM-DD` string of a day number. */
export function fromDayNumber(dayNumber: number): string {
  return new Date(dayNumber * MS_PER_DAY).toISOString().slice(0, 10);
}

export function isCalendarDate(date: string): boolean {
  try {
    toDayNumber(date);
    return true;
  } catch {
    return false;
  }
}

export function addDays(date: string, days: number): string {
  return fromDayNumber(toDayNumber(date) + days);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return toDayNumber(to) - toDayNumber(from);
}

/**
 * The date `years` calendar years after `date`. A 29 February that does not exist in the target
 * year becomes 28 February: for birthdays that feed compliance deadlines, the earlier day is the
 * safe one.
 */
export function addYears(date: string, years: number): string {
  const match = ISO_DATE.exec(date);
  if (!match) throw new RangeError(`Invalid calendar date "${date}": expected YYYY-MM-DD`);
  toDayNumber(date);
  const year = Number(match[1]) + years;
  const month = Number(match[2]);
  let day = Number(match[3]);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) day = daysInMonth;
  return `${String(year).padStart(4, "0")}-${match[2]}-${String(day).padStart(2, "0")}`;
}

/** Age in whole years on `onDate` of someone born on `dateOfBirth`. */
export function ageInYears(dateOfBirth: string, onDate: string): number {
  const birth = ISO_DATE.exec(dateOfBirth);
  const on = ISO_DATE.exec(onDate);
  if (!birth || !on) throw new RangeError("Invalid calendar date: expected YYYY-MM-DD");
  let age = Number(on[1]) - Number(birth[1]);
  // Not yet had this year's birthday (same rule as addYears for 29 February).
  if (addYears(dateOfBirth, age) > onDate) age -= 1;
  return age;
}
