import { describe, expect, it } from "vitest";
import { diffIeps, type IepContent } from "./iepDiff";

const base: IepContent = {
  effectiveDate: "2025-09-01",
  expirationDate: "2026-08-31",
  meetingDate: "2025-08-25",
  placement: "General education with resource support",
  serviceHours: { specialEducation: 5, speechTherapy: 1 },
  accommodations: [{ category: "Testing", description: "Extended time 1.5x", setting: "All tests" }],
  modifications: [],
  teamMembers: ["u1", "u2"],
};

describe("diffIeps", () => {
  it("finds nothing between identical versions", () => {
    expect(diffIeps(base, structuredClone(base))).toEqual([]);
  });

  it("reports each changed section with removed and added lines", () => {
    const amended: IepContent = {
      ...structuredClone(base),
      placement: "General education 80% or more",
      serviceHours: { specialEducation: 6, speechTherapy: 1, counseling: 0.5 },
      accommodations: [...base.accommodations, { category: "Seating", description: "Preferential seating", setting: "Classroom" }],
      teamMembers: ["u2", "u3"],
      transitionPlan: { postSecondaryGoals: ["Community college"], transitionServices: [] },
    };
    const names: Record<string, string> = { u1: "Ana", u2: "Ben", u3: "Cy" };
    const diff = diffIeps(base, amended, { nameOf: (id) => names[id] });
    expect(diff.map((d) => d.section)).toEqual(["placement", "serviceHours", "accommodations", "transitionPlan", "team"]);
    expect(diff.find((d) => d.section === "serviceHours")).toEqual({
      section: "serviceHours",
      removed: ["specialEducation: 5"],
      added: ["specialEducation: 6", "counseling: 0.5"],
    });
    expect(diff.find((d) => d.section === "accommodations")!.added).toEqual(["Seating — Preferential seating (Classroom)"]);
    expect(diff.find((d) => d.section === "team")).toEqual({ section: "team", removed: ["Ana"], added: ["Cy"] });
  });

  it("formats dates and service names for the reader", () => {
    const later = { ...base, meetingDate: "2025-08-26", serviceHours: { specialEducation: 5, speechTherapy: 2 } };
    const diff = diffIeps(base, later, { date: (d) => `[${d}]`, service: (key) => key.toUpperCase() });
    expect(diff).toEqual([
      { section: "meetingDate", removed: ["[2025-08-25]"], added: ["[2025-08-26]"] },
      { section: "serviceHours", removed: ["SPEECHTHERAPY: 1"], added: ["SPEECHTHERAPY: 2"] },
    ]);
  });

  it("counts repeated lines (removing one of two identical accommodations is a difference)", () => {
    const twice = { ...base, accommodations: [base.accommodations[0], base.accommodations[0]] };
    expect(diffIeps(twice, base)).toEqual([{ section: "accommodations", removed: ["Testing — Extended time 1.5x (All tests)"], added: [] }]);
  });
});
