import { describe, expect, it } from "vitest";
import { addDays } from "./calendarDate";
import {
  CLOCK_KINDS,
  computeClocks,
  statusForDueDate,
  worstStatus,
  type Clock,
  type ClockInput,
  type ClockKind,
} from "./complianceClocks";

const TODAY = "2025-03-01";

function input(partial: Partial<ClockInput> = {}): ClockInput {
  return {
    today: TODAY,
    dateOfBirth: null,
    settings: { iepReviewCycle: 365, evaluationCycle: 1095, transitionAge: 16, reportingPeriods: [] },
    activeIep: null,
    evaluations: [],
    recordsRequests: [],
    lastProgressReportDate: null,
    ...partial,
  };
}

function clock(kind: ClockKind, partial: Partial<ClockInput>): Clock {
  const found = computeClocks(input(partial)).find((c) => c.kind === kind);
  if (!found) throw new Error(`no ${kind} clock`);
  return found;
}

const IEP = { meetingDate: "2024-09-10", expirationDate: "2025-09-09", hasTransitionPlan: false };

describe("status boundaries", () => {
  it.each([
    [-1, "overdue"],
    [0, "due_30"],
    [30, "due_30"],
    [31, "due_60"],
    [60, "due_60"],
    [61, "on_track"],
  ] as const)("due in %i days → %s", (days, status) => {
    expect(statusForDueDate(TODAY, addDays(TODAY, days))).toEqual({ status, daysRemaining: days });
  });
});

describe("computeClocks", () => {
  it("returns one clock per kind, in a fixed order, not applicable without records", () => {
    const clocks = computeClocks(input());
    expect(clocks.map((c) => c.kind)).toEqual([...CLOCK_KINDS]);
    for (const c of clocks) expect(c).toMatchObject({ status: "not_applicable", dueDate: null, daysRemaining: null });
  });

  it("refuses a malformed today", () => {
    expect(() => computeClocks(input({ today: "03/01/2025" }))).toThrow(RangeError);
  });
});

describe("initial evaluation (300.301(c))", () => {
  const pending = { kind: "initial" as const, consentDate: "2025-01-15", completedDate: null, eligibilityDate: null };

  it("is due 60 days after consent", () => {
    // Jan 15 + 16 = Jan 31, + 28 = Feb 28 (44 days), + 16 = Mar 16 (60 days); 15 days from Mar 1.
    expect(clock("initial_evaluation", { evaluations: [pending] })).toEqual({
      kind: "initial_evaluation",
      status: "due_30",
      startedOn: "2025-01-15",
      dueDate: "2025-03-16",
      daysRemaining: 15,
    });
  });

  it("uses the state's own timeline from settings", () => {
    // 45 days: Jan 15 + 45 = Mar 1 = today → due today, not overdue
    const settings = { ...input().settings, initialEvaluationDays: 45 };
    expect(clock("initial_evaluation", { evaluations: [pending], settings })).toMatchObject({ dueDate: "2025-03-01", status: "due_30", daysRemaining: 0 });
    const shorter = { ...settings, initialEvaluationDays: 44 };
    expect(clock("initial_evaluation", { evaluations: [pending], settings: shorter })).toMatchObject({ status: "overdue", daysRemaining: -1 });
  });

  it("is complete once the evaluation is done, and does not start without consent", () => {
    expect(clock("initial_evaluation", { evaluations: [{ ...pending, completedDate: "2025-02-20" }] }).status).toBe("complete");
    expect(clock("initial_evaluation", { evaluations: [{ ...pending, consentDate: null }] }).status).toBe("not_applicable");
  });

  it("ignores reevaluations", () => {
    expect(clock("initial_evaluation", { evaluations: [{ ...pending, kind: "reevaluation" }] }).status).toBe("not_applicable");
  });
});

describe("initial IEP (300.323(c))", () => {
  const eligible = { kind: "initial" as const, consentDate: "2024-12-20", completedDate: "2025-02-07", eligibilityDate: "2025-02-10" };

  it("is due 30 days after eligibility", () => {
    // Feb 10 + 18 = Feb 28, + 12 = Mar 12: 11 days from Mar 1
    expect(clock("initial_iep", { evaluations: [eligible] })).toMatchObject({ startedOn: "2025-02-10", dueDate: "2025-03-12", status: "due_30", daysRemaining: 11 });
  });

  it("is complete when the active IEP's meeting followed the determination", () => {
    const activeIep = { ...IEP, meetingDate: "2025-02-20" };
    expect(clock("initial_iep", { evaluations: [eligible], activeIep }).status).toBe("complete");
    // an IEP written before this eligibility determination does not count
    expect(clock("initial_iep", { evaluations: [eligible], activeIep: IEP }).status).toBe("due_30");
  });
});

describe("annual review (300.324(b))", () => {
  it("is due iepReviewCycle days after the last meeting", () => {
    // 2024-03-20 + 365 days = 2025-03-20 (no 29 February in between): 19 days away
    const activeIep = { meetingDate: "2024-03-20", expirationDate: "2025-03-25", hasTransitionPlan: false };
    expect(clock("annual_review", { activeIep })).toMatchObject({ startedOn: "2024-03-20", dueDate: "2025-03-20", status: "due_30", daysRemaining: 19 });
  });

  it("is due at the expiration date when that comes first", () => {
    const activeIep = { meetingDate: "2024-03-20", expirationDate: "2025-03-19", hasTransitionPlan: false };
    expect(clock("annual_review", { activeIep }).dueDate).toBe("2025-03-19");
  });

  it("stays overdue after the IEP expired with no successor", () => {
    // expired 2025-01-31 (meeting 2024-02-01 + 365 = 2025-01-31): 29 days without an IEP in effect
    const expiredIep = { meetingDate: "2024-02-01", expirationDate: "2025-01-31" };
    expect(clock("annual_review", { expiredIep })).toMatchObject({ status: "overdue", dueDate: "2025-01-31", daysRemaining: -29 });
    // the expired IEP still counts as the initial IEP being written
    const evaluations = [{ kind: "initial" as const, consentDate: "2023-11-01", completedDate: "2023-12-15", eligibilityDate: "2023-12-20" }];
    expect(clock("initial_iep", { expiredIep, evaluations }).status).toBe("complete");
    expect(clock("initial_iep", { evaluations }).status).toBe("overdue");
    // and an active IEP takes precedence over an older expired one
    expect(clock("annual_review", { expiredIep, activeIep: IEP }).dueDate).toBe("2025-09-09");
  });

  it("is overdue once the date has passed", () => {
    const activeIep = { meetingDate: "2024-02-01", expirationDate: "2025-02-28", hasTransitionPlan: false };
    // 2024-02-01 + 365 = 2025-01-31 (2024 has 29 February); Mar 1 − Jan 31 = 29 days late
    expect(clock("annual_review", { activeIep })).toMatchObject({ dueDate: "2025-01-31", status: "overdue", daysRemaining: -29 });
  });
});

describe("reevaluation (300.303(b))", () => {
  it("is due evaluationCycle days after the latest completed evaluation", () => {
    // 2022-03-10 → 2025-03-10 is 365 + 366 + 365 = 1096 days, so + 1095 = 2025-03-09: 8 days away
    const evaluations = [
      { kind: "initial" as const, consentDate: "2018-01-05", completedDate: "2018-02-20", eligibilityDate: "2018-02-25" },
      { kind: "reevaluation" as const, consentDate: "2022-02-01", completedDate: "2022-03-10", eligibilityDate: null },
    ];
    expect(clock("reevaluation", { evaluations })).toMatchObject({ startedOn: "2022-03-10", dueDate: "2025-03-09", status: "due_30", daysRemaining: 8 });
  });

  it("restarts from a waiver agreement", () => {
    // 2024-01-10 + 1095: → 2025-01-10 is 366 days, → 2027-01-10 is 1096, so 2027-01-09
    const evaluations = [
      { kind: "initial" as const, consentDate: "2020-09-01", completedDate: "2020-10-01", eligibilityDate: "2020-10-05" },
      { kind: "reevaluation" as const, consentDate: "2024-01-10", completedDate: null, eligibilityDate: null, waived: true },
    ];
    expect(clock("reevaluation", { evaluations })).toMatchObject({ startedOn: "2024-01-10", dueDate: "2027-01-09", status: "on_track" });
  });

  it("does not start from an evaluation in progress", () => {
    const evaluations = [{ kind: "reevaluation" as const, consentDate: "2025-02-01", completedDate: null, eligibilityDate: null }];
    expect(clock("reevaluation", { evaluations }).status).toBe("not_applicable");
  });
});

describe("transition plan (300.320(b))", () => {
  it("is overdue when the student turns the age during the active IEP and it has no plan", () => {
    // turns 16 on 2025-05-15, before the IEP expires 2025-09-09. Due at the meeting 2024-09-10:
    // Sep 10 → Mar 1 = 20 + 31 + 30 + 31 + 31 + 28 + 1 = 172 days ago
    expect(clock("transition_plan", { activeIep: IEP, dateOfBirth: "2009-05-15" })).toEqual({
      kind: "transition_plan",
      status: "overdue",
      startedOn: "2025-05-15",
      dueDate: "2024-09-10",
      daysRemaining: -172,
    });
  });

  it("is overdue for a student already over the age", () => {
    expect(clock("transition_plan", { activeIep: IEP, dateOfBirth: "2007-01-01" }).status).toBe("overdue");
  });

  it("turning the age on the expiration day still counts", () => {
    // born 2009-09-09 → 16 on 2025-09-09 = expiration date
    expect(clock("transition_plan", { activeIep: IEP, dateOfBirth: "2009-09-09" }).status).toBe("overdue");
    // one day later belongs to the next IEP, written at the annual review 2025-09-09 (192 days)
    expect(clock("transition_plan", { activeIep: IEP, dateOfBirth: "2009-09-10" })).toMatchObject({ status: "on_track", dueDate: "2025-09-09", daysRemaining: 192 });
  });

  it("is complete when the active IEP has a plan", () => {
    expect(clock("transition_plan", { activeIep: { ...IEP, hasTransitionPlan: true }, dateOfBirth: "2009-05-15" }).status).toBe("complete");
  });

  it("is due at the last review meeting before the birthday", () => {
    // 16 on 2027-05-15; annual review due 2025-09-09; 2025-09-09 → 2027-05-15 = 248 + 365 = 613
    // days → ⌊613/365⌋ = 1 cycle → the review of 2026-09-09 writes the IEP in effect then.
    expect(clock("transition_plan", { activeIep: IEP, dateOfBirth: "2011-05-15" })).toMatchObject({ status: "on_track", dueDate: "2026-09-09", startedOn: "2027-05-15" });
  });

  it("uses the organization's transition age", () => {
    // at 14 (some states): born 2011-05-15 → 14 on 2025-05-15, during the active IEP
    const settings = { ...input().settings, transitionAge: 14 };
    expect(clock("transition_plan", { activeIep: IEP, dateOfBirth: "2011-05-15", settings }).status).toBe("overdue");
  });

  it("a 29 February birthday counts from 28 February in other years", () => {
    // born 2009-02-29 does not exist; 2008-02-29 → 17 on 2025-02-28 (before today): overdue
    const activeIep = { meetingDate: "2024-03-05", expirationDate: "2025-02-28", hasTransitionPlan: false };
    const settings = { ...input().settings, transitionAge: 17 };
    expect(clock("transition_plan", { activeIep, dateOfBirth: "2008-02-29", settings })).toMatchObject({ status: "overdue", startedOn: "2025-02-28" });
  });

  it("does not apply without an active IEP or a birth date", () => {
    expect(clock("transition_plan", { dateOfBirth: "2009-05-15" }).status).toBe("not_applicable");
    expect(clock("transition_plan", { activeIep: IEP }).status).toBe("not_applicable");
  });
});

describe("progress reports (300.320(a)(3)(ii))", () => {
  const settings = { ...input().settings, reportingPeriods: ["2025-06-13", "2024-11-15", "2025-04-04", "2025-01-31"] };

  it("is due at the first period end after the last report", () => {
    // report on 2025-01-31 covers that period; next end 2025-04-04 = 30 + 4 = 34 days away
    expect(clock("progress_report", { activeIep: IEP, settings, lastProgressReportDate: "2025-01-31" })).toMatchObject({
      startedOn: "2025-01-31",
      dueDate: "2025-04-04",
      status: "due_60",
      daysRemaining: 34,
    });
  });

  it("is overdue when a period ended without a report", () => {
    // last report 2025-01-20, the period ending 2025-01-31 was not reported: 29 days late
    expect(clock("progress_report", { activeIep: IEP, settings, lastProgressReportDate: "2025-01-20" })).toMatchObject({ dueDate: "2025-01-31", status: "overdue", daysRemaining: -29 });
  });

  it("counts from the IEP meeting before the first report", () => {
    expect(clock("progress_report", { activeIep: IEP, settings }).dueDate).toBe("2024-11-15");
  });

  it("does not apply without an IEP or without a period end left", () => {
    expect(clock("progress_report", { settings, lastProgressReportDate: "2025-01-31" }).status).toBe("not_applicable");
    expect(clock("progress_report", { activeIep: IEP, settings, lastProgressReportDate: "2025-06-20" }).status).toBe("not_applicable");
  });
});

describe("parent records request (300.613)", () => {
  const request = { requestedDate: "2025-02-20", fulfilledDate: null, nextMeetingDate: null };

  it("is due 45 days after the request", () => {
    // Feb 20 + 8 = Feb 28, + 31 = Mar 31 (39), + 6 = Apr 6 (45): 36 days from Mar 1
    expect(clock("records_request", { recordsRequests: [request] })).toMatchObject({ startedOn: "2025-02-20", dueDate: "2025-04-06", status: "due_60", daysRemaining: 36 });
  });

  it("is due before an earlier IEP meeting", () => {
    expect(clock("records_request", { recordsRequests: [{ ...request, nextMeetingDate: "2025-03-10" }] })).toMatchObject({ dueDate: "2025-03-09", daysRemaining: 8 });
    expect(clock("records_request", { recordsRequests: [{ ...request, nextMeetingDate: "2025-05-01" }] }).dueDate).toBe("2025-04-06");
  });

  it("shows the open request due first", () => {
    const later = { requestedDate: "2025-02-25", fulfilledDate: null, nextMeetingDate: null };
    const early = { requestedDate: "2025-01-10", fulfilledDate: null, nextMeetingDate: null };
    // 2025-01-10 + 45 = 2025-02-24 → overdue by 5 days
    expect(clock("records_request", { recordsRequests: [later, early] })).toMatchObject({ startedOn: "2025-01-10", dueDate: "2025-02-24", status: "overdue", daysRemaining: -5 });
  });

  it("is complete when every request is fulfilled", () => {
    const fulfilled = { ...request, fulfilledDate: "2025-02-27" };
    expect(clock("records_request", { recordsRequests: [fulfilled] })).toMatchObject({ status: "complete", daysRemaining: null });
    expect(clock("records_request", { recordsRequests: [fulfilled, { ...request, requestedDate: "2025-02-28" }] }).status).toBe("due_60");
  });
});

describe("worstStatus", () => {
  const of = (...statuses: Clock["status"][]): Clock[] =>
    statuses.map((status) => ({ kind: "annual_review", status, dueDate: null, startedOn: null, daysRemaining: null }));

  it("orders overdue > due_30 > due_60 > on_track > complete > not_applicable", () => {
    expect(worstStatus(of("on_track", "overdue", "due_30"))).toBe("overdue");
    expect(worstStatus(of("due_60", "due_30", "on_track"))).toBe("due_30");
    expect(worstStatus(of("on_track", "due_60", "complete"))).toBe("due_60");
    expect(worstStatus(of("complete", "on_track", "not_applicable"))).toBe("on_track");
    expect(worstStatus(of("not_applicable", "complete"))).toBe("complete");
    expect(worstStatus(of("not_applicable"))).toBe("not_applicable");
    expect(worstStatus([])).toBe("not_applicable");
  });

  it("summarizes a real student", () => {
    const clocks = computeClocks(input({ activeIep: IEP, dateOfBirth: "2009-05-15" }));
    expect(worstStatus(clocks)).toBe("overdue"); // the missing transition plan
  });
});
