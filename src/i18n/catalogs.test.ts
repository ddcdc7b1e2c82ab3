import { describe, expect, it } from "vitest";
import { en } from "./en";
import { es } from "./es";
import { translate } from "./I18nProvider";
import { makeFormatters } from "./format";

describe("message catalogs", () => {
  it("es has exactly en's keys, none empty", () => {
    expect(Object.keys(es).sort()).toEqual(Object.keys(en).sort());
    for (const [key, text] of Object.entries(es)) expect(text.trim(), key).not.toBe("");
  });

  it("each translation keeps the same {placeholders} as English", () => {
    const names = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(en) as (keyof typeof en)[]) expect(names(es[key]), key).toEqual(names(en[key]));
  });

  it("Spanish is really translated, not copied (most strings differ)", () => {
    const keys = Object.keys(en) as (keyof typeof en)[];
    const same = keys.filter((key) => en[key] === es[key]);
    expect(same.length / keys.length).toBeLessThan(0.1);
  });

  it("translate fills placeholders and leaves unknown ones", () => {
    expect(translate("en", "status.daysLeft", { days: 12 })).toBe("12 days left");
    expect(translate("es", "status.daysLeft", { days: 12 })).toBe("Quedan 12 días");
    expect(translate("en", "status.daysLeft")).toBe("{days} days left");
  });
});

describe("formatters", () => {
  it("formats calendar dates without shifting the day, per language", () => {
    expect(makeFormatters("en").formatDate("2025-03-01")).toBe("Mar 1, 2025");
    expect(makeFormatters("es").formatDate("2025-03-01")).toMatch(/^1 mar\.? 2025$/);
  });

  it("formats numbers for the language (US Spanish groups like US English) and rounds", () => {
    expect(makeFormatters("en").formatNumber(1234.5)).toBe("1,234.5");
    expect(makeFormatters("es").formatNumber(1234.5)).toBe(new Intl.NumberFormat("es-US").format(1234.5));
    expect(makeFormatters("en").formatNumber(2.3456, 1)).toBe("2.3");
    expect(makeFormatters("en").formatPercent(0.456)).toBe("46%");
  });
});
