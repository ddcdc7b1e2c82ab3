import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { olsFit, toChartPoints } from "../../../convex/model/progressMath";
import { renderPlain } from "../../test/render";
import { aimValueAt, computeChartGeometry, niceStep, phaseOf, type ChartInput } from "./chartGeometry";
import { ProgressChart } from "./ProgressChart";
import { ProgressTable } from "./ProgressTable";

// Words correct per minute, weekly, rising about 2 a week from a baseline of 40.
const input: ChartInput = {
  baselineDate: "2025-09-01",
  baselineValue: 40,
  targetDate: "2026-03-02", // 26 weeks later
  targetValue: 92,
  points: [
    { date: "2025-09-22", value: 45 },
    { date: "2025-09-08", value: 41 },
    { date: "2025-09-15", value: 44 },
    { date: "2025-09-29", value: 48 },
    { date: "2025-10-06", value: 49 },
    { date: "2025-10-13", value: 53 },
  ],
  phaseChanges: ["2025-09-24"],
};

function attr(el: Element, name: string) {
  return Number(el.getAttribute(name));
}

describe("chart geometry", () => {
  const g = computeChartGeometry(input);

  it("places points in date order at weeks since baseline and their values", () => {
    expect(g.points.map((p) => p.date)).toEqual(["2025-09-08", "2025-09-15", "2025-09-22", "2025-09-29", "2025-10-06", "2025-10-13"]);
    // x grows by the same amount each week; y is linear in the value, higher values higher up.
    const dx = g.points[1].cx - g.points[0].cx;
    expect(g.points[2].cx - g.points[1].cx).toBeCloseTo(dx, 6);
    expect(g.points[0].cx).toBeCloseTo(g.xOfWeeks(1), 6);
    expect(g.points[5].cy).toBeLessThan(g.points[0].cy);
    expect(g.points[3].cy).toBeCloseTo(g.yOfValue(48), 6);
  });

  it("draws the aim line from (baseline date, baseline) to (target date, target)", () => {
    expect(g.aimLine.x1).toBeCloseTo(g.xOfWeeks(0), 6);
    expect(g.aimLine.y1).toBeCloseTo(g.yOfValue(40), 6);
    expect(g.aimLine.x2).toBeCloseTo(g.xOfWeeks(26), 6);
    expect(g.aimLine.y2).toBeCloseTo(g.yOfValue(92), 6);
    expect(g.targetLine.y1).toBeCloseTo(g.yOfValue(92), 6);
  });

  it("draws the OLS trend of progressMath over the measured range", () => {
    const fit = olsFit(toChartPoints(input.baselineDate, input.points))!;
    expect(g.trend!.slopePerWeek).toBeCloseTo(fit.slopePerWeek, 9);
    expect(g.trendLine!.x1).toBeCloseTo(g.xOfWeeks(1), 6);
    expect(g.trendLine!.y1).toBeCloseTo(g.yOfValue(fit.intercept + fit.slopePerWeek * 1), 6);
    expect(g.trendLine!.x2).toBeCloseTo(g.xOfWeeks(6), 6);
    expect(g.trendLine!.y2).toBeCloseTo(g.yOfValue(fit.intercept + fit.slopePerWeek * 6), 6);
  });

  it("keeps the target inside the plot and puts phase changes at their dates", () => {
    expect(g.yOfValue(92)).toBeGreaterThanOrEqual(g.plot.top);
    expect(g.yOfValue(0)).toBeLessThanOrEqual(g.plot.bottom);
    expect(g.phaseLines[0].x1).toBeCloseTo(g.xOfWeeks(23 / 7), 6);
  });

  it("has no trend line with fewer than three points", () => {
    expect(computeChartGeometry({ ...input, points: input.points.slice(0, 2) }).trendLine).toBeNull();
  });

  it("picks round tick steps and computes aim values and phases", () => {
    expect(niceStep(92, 5)).toBe(20);
    expect(niceStep(7, 5)).toBe(2);
    expect(aimValueAt(input, "2025-09-15")).toBeCloseTo(44, 9); // 2 weeks × 2/week
    expect(phaseOf(input.phaseChanges, "2025-09-22")).toBe(1);
    expect(phaseOf(input.phaseChanges, "2025-09-29")).toBe(2);
  });
});

describe("ProgressChart and its table alternative", () => {
  it("renders every series as SVG at the computed positions, labelled as an image", () => {
    const g = computeChartGeometry(input);
    renderPlain(<ProgressChart input={input} unit="wcpm" />);
    const svg = screen.getByRole("img", { name: /Progress graph/ });
    const circles = svg.querySelectorAll('[data-series="point"]');
    expect(circles).toHaveLength(6);
    expect(attr(circles[5], "cy")).toBeCloseTo(g.points[5].cy, 6);
    const trend = svg.querySelector('[data-series="trend"]')!;
    expect(attr(trend, "y2")).toBeCloseTo(g.trendLine!.y2, 6);
    expect(svg.querySelector('[data-series="aim"]')).not.toBeNull();
    expect(svg.querySelectorAll('[data-series="phase"]')).toHaveLength(1);
  });

  it("the table lists every measurement, newest first, with aim, trend and phase", () => {
    const rows = input.points.map((p, i) => ({ key: String(i), date: p.date, value: p.value }));
    renderPlain(<ProgressTable input={input} rows={rows} unit="wcpm" />);
    const table = screen.getByRole("table", { name: "Measurements of this goal" });
    const bodyRows = within(table).getAllByRole("row").slice(1);
    expect(bodyRows).toHaveLength(6);
    const first = within(bodyRows[0]).getAllByRole("cell");
    expect(within(bodyRows[0]).getByRole("rowheader").textContent).toBe("Oct 13, 2025");
    expect(first[0].textContent).toBe("53");
    expect(first[1].textContent).toBe("52"); // aim on Oct 13: 40 + 6 weeks × 2
    const fit = olsFit(toChartPoints(input.baselineDate, input.points))!;
    expect(first[2].textContent).toBe((Math.round((fit.intercept + fit.slopePerWeek * 6) * 10) / 10).toString());
    expect(first[3].textContent).toBe("2");
  });
});
