// Dates and numbers for the interface's language (Intl). Calendar dates are ISO `YYYY-MM-DD`
// (D5): they are formatted as calendar dates in UTC so no time zone shifts them by a day.
export interface Formatters {
  formatDate: (isoDate: string | null | undefined) => string;
  formatDateTime: (epochMs: number) => string;
  formatNumber: (value: number, maximumFractionDigits?: number) => string;
  formatPercent: (fraction: number) => string;
}

const LOCALES = { en: "en-US", es: "es-US" } as const;

export function makeFormatters(language: keyof typeof LOCALES): Formatters {
  const locale = LOCALES[language];
  const date = new Intl.DateTimeFormat(locale, { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" });
  const percent = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 });
  const numbers = new Map<number, Intl.NumberFormat>();
  return {
    formatDate: (isoDate) => {
      if (!isoDate) return "—";
      const parsed = Date.parse(`${isoDate}T00:00:00Z`);
      return Number.isNaN(parsed) ? isoDate : date.format(parsed);
    },
    formatDateTime: (epochMs) => dateTime.format(epochMs),
    formatNumber: (value, maximumFractionDigits = 2) => {
      let formatter = numbers.get(maximumFractionDigits);
      if (!formatter) {
        formatter = new Intl.NumberFormat(locale, { maximumFractionDigits });
        numbers.set(maximumFractionDigits, formatter);
      }
      return formatter.format(value);
    },
    formatPercent: (fraction) => percent.format(fraction),
  };
}
