// A compliance status as icon + text (never colour alone, WCAG 1.4.1).
import { useT } from "../i18n/I18nProvider";
import type { MessageKey } from "../i18n/en";

export type ClockStatus = "overdue" | "due_30" | "due_60" | "on_track" | "complete" | "not_applicable";

/** Shapes differ as well as colours: a stop octagon, a warning triangle, a half-filled clock, a check. */
function StatusIcon({ status }: { status: ClockStatus }) {
  const common = { width: 14, height: 14, viewBox: "0 0 16 16", "aria-hidden": true, className: "status-icon", focusable: false } as const;
  switch (status) {
    case "overdue":
      return (
        <svg {...common}>
          <polygon points="5,1 11,1 15,5 15,11 11,15 5,15 1,11 1,5" fill="currentColor" />
          <rect x="7" y="4" width="2" height="5.5" fill="#fff" />
          <rect x="7" y="10.5" width="2" height="2" fill="#fff" />
        </svg>
      );
    case "due_30":
      return (
        <svg {...common}>
          <polygon points="8,1 15.5,15 0.5,15" fill="currentColor" />
          <rect x="7" y="5.5" width="2" height="5" fill="#fff" />
          <rect x="7" y="11.5" width="2" height="2" fill="#fff" />
        </svg>
      );
    case "due_60":
      return (
        <svg {...common}>
          <circle cx="8" cy="8" r="6.5" fill="none" stroke="currentColor" strokeWidth="2" />
          <path d="M8 8 V2.5 A5.5 5.5 0 0 1 13.5 8 Z" fill="currentColor" />
        </svg>
      );
    case "not_applicable":
      return (
        <svg {...common}>
          <rect x="3" y="7" width="10" height="2" fill="currentColor" />
        </svg>
      );
    default:
      return (
        <svg {...common}>
          <path d="M2 8.5 L6.5 13 L14 3.5" fill="none" stroke="currentColor" strokeWidth="2.5" />
        </svg>
      );
  }
}

export function StatusBadge({ status, detail }: { status: ClockStatus; detail?: string }) {
  const t = useT();
  return (
    <span className={`status status-${status}`}>
      <StatusIcon status={status} />
      {t(`status.${status}` as MessageKey)}
      {detail ? <span className="status-detail"> · {detail}</span> : null}
    </span>
  );
}

/** "12 days left" / "3 days overdue" for a clock. */
export function daysText(t: ReturnType<typeof useT>, daysRemaining: number | null): string | undefined {
  if (daysRemaining === null) return undefined;
  return daysRemaining < 0 ? t("status.daysOverdue", { days: -daysRemaining }) : t("status.daysLeft", { days: daysRemaining });
}
