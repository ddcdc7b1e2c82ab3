/**
 * IDEA compliance clocks (domain.md "Compliance clocks (IDEA)", D8). Pure: the caller loads the
 * student's records and passes `today` in the organization's timezone (D5).
 *
 * `computeClocks` always returns one clock per kind, in CLOCK_KINDS order, so dashboards can
 * show a fixed set of columns. Statuses relative to `today`:
 *   overdue    due date passed and not complete (daysRemaining < 0)
 *   due_30     due within 30 days (0 ≤ daysRemaining ≤ 30; due today is due_30, not overdue)
 *   due_60     due within 31–60 days
 *   on_track   due later
 *   complete   the obligation was met (dueDate kept for display, daysRemaining null)
 *   not_applicable  the clock has not started or does not apply (all dates may be null)
 * Every number a state can change comes from `settings`, never from code.
 */
import { addDays, addYears, daysBetween, toDayNumber } from "./calendarDate";

export type ClockStatus = "overdue" | "due_30" | "due_60" | "on_track" | "not_applicable" | "complete";
export type ClockKind =
  | "initial_evaluation"
  | "initial_iep"
  | "annual_review"
  | "reevaluation"
  | "transition_plan"
  | "progress_report"
  | "records_request";

export interface Clock {
  kind: ClockKind;
  status: ClockStatus;
  dueDate: string | null;
  startedOn: string | null;
  daysRemaining: number | null;
}

export interface ClockEvaluation {
  kind: "initial" | "reevaluation";
  consentDate: string | null;
  completedDate: string | null;
  eligibilityDate: string | null;
  /** 300.303(b): a reevaluation waived by parent and district agreement (schema `evaluations.waived`). */
  waived?: boolean;
}

export interface ClockInput {
  today: string;
  dateOfBirth: string | null;
  settings: {
    iepReviewCycle: number;
    evaluationCycle: number;
    transitionAge: number;
    reportingPeriods: string[];
    initialEvaluationDays?: number;
  };
  activeIep: { meetingDate: string; expirationDate: string; hasTransitionPlan: boolean } | null;
  /**
   * Optional: the student's latest IEP that expired with no IEP in effect after it (status
   * "expired"), for an enrolled student who is still eligible. Without an active IEP it keeps the
   * annual review overdue (300.323(a): an IEP must be in effect) and completes the initial-IEP
   * clock. Leave it out for students who left special education.
   */
  expiredIep?: { meetingDate: string; expirationDate: string } | null;
  evaluations: ClockEvaluation[];
  recordsRequests: { requestedDate: string; fulfilledDate: string | null; nextMeetingDate: string | null }[];
  lastProgressReportDate: string | null;
}

export const CLOCK_KINDS: readonly ClockKind[] = [
  "initial_evaluation",
  "initial_iep",
  "annual_review",
  "reevaluation",
  "transition_plan",
  "progress_report",
  "records_request",
];

/** domain.md defaults where settings are silent. */
export const DEFAULT_INITIAL_EVALUATION_DAYS = 60; // 300.301(c)
export const INITIAL_IEP_DAYS = 30; // 300.323(c): federal, not a state setting
export const RECORDS_REQUEST_MAX_DAYS = 45; // 300.613(a)
export const DUE_SOON_DAYS = 30;
export const DUE_LATER_DAYS = 60;

/** Worst first: a student's (or a school's) status is the first of these any clock has. */
export const STATUS_SEVERITY: readonly ClockStatus[] = ["overdue", "due_30", "due_60", "on_track", "complete", "not_applicable"];

export function statusForDueDate(today: string, dueDate: string): { status: ClockStatus; daysRemaining: number } {
  const daysRemaining = daysBetween(today, dueDate);
  let status: ClockStatus;
  if (daysRemaining < 0) status = "overdue";
  else if (daysRemaining <= DUE_SOON_DAYS) status = "due_30";
  else if (daysRemaining <= DUE_LATER_DAYS) status = "due_60";
  else status = "on_track";
  return { status, daysRemaining };
}

function running(kind: ClockKind, today: string, startedOn: string | null, dueDate: string): Clock {
  return { kind, startedOn, dueDate, ...statusForDueDate(today, dueDate) };
}

function complete(kind: ClockKind, startedOn: string | null, dueDate: string | null): Clock {
  return { kind, status: "complete", startedOn, dueDate, daysRemaining: null };
}

function notApplicable(kind: ClockKind): Clock {
  return { kind, status: "not_applicable", startedOn: null, dueDate: null, daysRemaining: null };
}

function latestBy<T>(items: T[], date: (item: T) => string | null): T | null {
  let best: T | null = null;
  let bestDate = "";
  for (const item of items) {
    const d = date(item);
    if (d !== null && d >= bestDate) {
      best = item;
      bestDate = d;
    }
  }
  return best;
}

/** 300.301(c): initial evaluation within N days of parental consent (latest initial evaluation). */
function initialEvaluationClock(input: ClockInput): Clock {
  const kind = "initial_evaluation";
  const evaluation = latestBy(
    input.evaluations.filter((e) => e.kind === "initial"),
    (e) => e.consentDate,
  );
  if (!evaluation || evaluation.consentDate === null) return notApplicable(kind);
  const days = input.settings.initialEvaluationDays ?? DEFAULT_INITIAL_EVALUATION_DAYS;
  const due = addDays(evaluation.consentDate, days);
  if (evaluation.completedDate !== null) return complete(kind, evaluation.consentDate, due);
  return running(kind, input.today, evaluation.consentDate, due);
}

/**
 * 300.323(c): the initial IEP meeting within 30 days of the eligibility determination. Met when
 * the active (or, failing that, the expired) IEP's meeting was held on or after that determination.
 */
function initialIepClock(input: ClockInput): Clock {
  const kind = "initial_iep";
  const evaluation = latestBy(
    input.evaluations.filter((e) => e.kind === "initial"),
    (e) => e.eligibilityDate,
  );
  if (!evaluation || evaluation.eligibilityDate === null) return notApplicable(kind);
  const start = evaluation.eligibilityDate;
  const due = addDays(start, INITIAL_IEP_DAYS);
  const lastIep = input.activeIep ?? input.expiredIep ?? null;
  if (lastIep && lastIep.meetingDate >= start) return complete(kind, start, due);
  return running(kind, input.today, start, due);
}

/**
 * 300.324(b): review at least every `iepReviewCycle` days after the last IEP meeting. The IEP also
 * lapses at its expiration date, so the review is due at whichever comes first. Without an active
 * IEP, an expired one (`expiredIep`) keeps the clock running — and overdue.
 */
function annualReviewClock(input: ClockInput): Clock {
  const kind = "annual_review";
  const iep = input.activeIep ?? input.expiredIep ?? null;
  if (!iep) return notApplicable(kind);
  const byCycle = addDays(iep.meetingDate, input.settings.iepReviewCycle);
  const due = byCycle < iep.expirationDate ? byCycle : iep.expirationDate;
  return running(kind, input.today, iep.meetingDate, due);
}

/**
 * 300.303(b): reevaluation `evaluationCycle` days after the last evaluation, i.e. the latest
 * completed evaluation of either kind. A waived reevaluation restarts the cycle from the date of
 * the agreement (its completedDate, else its consentDate).
 */
function reevaluationClock(input: ClockInput): Clock {
  const kind = "reevaluation";
  const lastDate = (e: ClockEvaluation): string | null =>
    e.completedDate ?? (e.waived && e.kind === "reevaluation" ? e.consentDate : null);
  const last = latestBy(input.evaluations, lastDate);
  const start = last ? lastDate(last) : null;
  if (start === null) return notApplicable(kind);
  return running(kind, input.today, start, addDays(start, input.settings.evaluationCycle));
}

/**
 * 300.320(b): the IEP in effect when the student turns `transitionAge` must contain a transition
 * plan. With an active IEP and a known birth date:
 * - the active IEP has a plan → complete;
 * - the student is at or over the age, or turns it on or before the active IEP's expiration →
 *   this IEP needed the plan when it was written: due at its meeting date, hence overdue;
 * - otherwise the plan is due at the last scheduled review meeting (annual review due date, then
 *   every `iepReviewCycle` days) on or before the birthday, status by date.
 * No active IEP or no birth date → not applicable (the annual-review clock covers a missing IEP).
 */
function transitionPlanClock(input: ClockInput): Clock {
  const kind = "transition_plan";
  const iep = input.activeIep;
  if (!iep || input.dateOfBirth === null) return notApplicable(kind);
  const birthday = addYears(input.dateOfBirth, input.settings.transitionAge);
  if (iep.hasTransitionPlan) return complete(kind, birthday, iep.meetingDate);
  if (birthday <= iep.expirationDate) return running(kind, input.today, birthday, iep.meetingDate);
  const reviewDue = annualReviewClock(input).dueDate as string;
  const cycle = Math.max(1, input.settings.iepReviewCycle);
  const periods = Math.max(0, Math.floor(daysBetween(reviewDue, birthday) / cycle));
  return running(kind, input.today, birthday, addDays(reviewDue, periods * cycle));
}

/**
 * 300.320(a)(3)(ii): a progress report at each reporting-period end. The next one due is the
 * first period end after the last report (a report covers every period that ended on or before
 * its date); with no report yet, the first period end after the active IEP's meeting. No active
 * IEP or no remaining period end in the settings → not applicable.
 */
function progressReportClock(input: ClockInput): Clock {
  const kind = "progress_report";
  const iep = input.activeIep;
  if (!iep) return notApplicable(kind);
  const since = input.lastProgressReportDate ?? iep.meetingDate;
  const ends = [...input.settings.reportingPeriods].sort();
  const next = ends.find((end) => end > since);
  if (next === undefined) return notApplicable(kind);
  return running(kind, input.today, since, next);
}

/**
 * 300.613 / 99.10: a parent's records request is met before any IEP meeting and never later than
 * 45 days after the request. Due = min(request + 45 days, the day before the next meeting). The
 * clock shows the open request due first; all fulfilled → complete; none → not applicable.
 */
function recordsRequestClock(input: ClockInput): Clock {
  const kind = "records_request";
  if (input.recordsRequests.length === 0) return notApplicable(kind);
  const dueOf = (request: ClockInput["recordsRequests"][number]): string => {
    const byLaw = addDays(request.requestedDate, RECORDS_REQUEST_MAX_DAYS);
    if (request.nextMeetingDate === null) return byLaw;
    const beforeMeeting = addDays(request.nextMeetingDate, -1);
    return beforeMeeting < byLaw ? beforeMeeting : byLaw;
  };
  const open = input.recordsRequests.filter((r) => r.fulfilledDate === null);
  if (open.length === 0) {
    const last = latestBy(input.recordsRequests, (r) => r.requestedDate);
    return complete(kind, last ? last.requestedDate : null, last ? dueOf(last) : null);
  }
  let first = open[0];
  for (const request of open) if (dueOf(request) < dueOf(first)) first = request;
  return running(kind, input.today, first.requestedDate, dueOf(first));
}

export function computeClocks(input: ClockInput): Clock[] {
  toDayNumber(input.today); // refuse a malformed `today` up front
  return [
    initialEvaluationClock(input),
    initialIepClock(input),
    annualReviewClock(input),
    reevaluationClock(input),
    transitionPlanClock(input),
    progressReportClock(input),
    recordsRequestClock(input),
  ];
}

/** The most urgent status: overdue > due_30 > due_60 > on_track > complete > not_applicable. */
export function worstStatus(clocks: Clock[]): ClockStatus {
  let worst = STATUS_SEVERITY.length - 1;
  for (const clock of clocks) worst = Math.min(worst, STATUS_SEVERITY.indexOf(clock.status));
  return STATUS_SEVERITY[worst];
}
