/**
 * The demo district's school calendar, derived from `today` so the demo never goes stale: the
 * current and previous school years (late August to mid June, weekdays, no winter break) and
 * four reporting periods per year (D8: each entry is a period's end date).
 */
import { addDays, fromDayNumber, toDayNumber } from "../../convex/model/calendarDate";

export interface SchoolYear {
  start: string;
  end: string;
  reportingPeriodEnds: string[];
}

/** Day of week, 0 = Sunday (1970-01-01 was a Thursday). */
export function dayOfWeek(date: string): number {
  return (((toDayNumber(date) + 4) % 7) + 7) % 7;
}

function schoolYearStarting(year: number): SchoolYear {
  const start = `${year}-08-21`;
  const end = `${year + 1}-06-12`;
  return {
    start,
    end,
    reportingPeriodEnds: [addDays(start, 70), addDays(start, 150), addDays(start, 225), end],
  };
}

/** [previous school year, current school year] around `today` (summer belongs to the next year). */
export function schoolYearsAround(today: string): [SchoolYear, SchoolYear] {
  const year = Number(today.slice(0, 4));
  const startYear = today.slice(5) >= "06-13" ? year : year - 1;
  return [schoolYearStarting(startYear - 1), schoolYearStarting(startYear)];
}

export function isSchoolDay(date: string, years: readonly SchoolYear[]): boolean {
  const dow = dayOfWeek(date);
  if (dow === 0 || dow === 6) return false;
  const monthDay = date.slice(5);
  if (monthDay >= "12-22" || monthDay <= "01-02") return false;
  return years.some((y) => date >= y.start && date <= y.end);
}

/** School days in [from, to], in order. */
export function schoolDaysBetween(from: string, to: string, years: readonly SchoolYear[]): string[] {
  const days: string[] = [];
  for (let d = toDayNumber(from); d <= toDayNumber(to); d++) {
    const date = fromDayNumber(d);
    if (isSchoolDay(date, years)) days.push(date);
  }
  return days;
}

/** An instant (ms) on a calendar date at a given UTC hour, for approvals and disclosures. */
export function instantOn(date: string, hour: number): number {
  return toDayNumber(date) * 86_400_000 + hour * 3_600_000;
}
