// Rows of compliance.caseloadDashboard / organizationDashboard: a student per row, every clock
// that applies with its status (icon + text) and due date, worst first.
import { Link } from "react-router";
import type { FunctionReturnType } from "convex/server";
import type { api } from "../../../convex/_generated/api";
import { DataTable } from "../../components/DataTable";
import { StatusBadge, daysText, type ClockStatus } from "../../components/StatusBadge";
import { useI18n } from "../../i18n/I18nProvider";
import type { MessageKey } from "../../i18n/en";

export type ComplianceRow = FunctionReturnType<typeof api.compliance.caseloadDashboard>["page"][number];

const SEVERITY: ClockStatus[] = ["overdue", "due_30", "due_60", "on_track", "complete", "not_applicable"];

export function sortWorstFirst(rows: ComplianceRow[]): ComplianceRow[] {
  return [...rows].sort(
    (a, b) =>
      SEVERITY.indexOf(a.worst as ClockStatus) - SEVERITY.indexOf(b.worst as ClockStatus) ||
      a.student.lastName.localeCompare(b.student.lastName),
  );
}

export function countRows(rows: ComplianceRow[]) {
  const counts: Record<"overdue" | "due_30" | "due_60" | "on_track", number> = { overdue: 0, due_30: 0, due_60: 0, on_track: 0 };
  for (const row of rows) if (row.worst in counts) counts[row.worst as keyof typeof counts] += 1;
  return counts;
}

export function StatusCounts({ rows }: { rows: ComplianceRow[] }) {
  const { t, formatNumber } = useI18n();
  const counts = countRows(rows);
  return (
    <ul className="counts" aria-label={t("home.counts")}>
      {(Object.keys(counts) as (keyof typeof counts)[]).map((status) => (
        <li key={status}>
          <span className="count">{formatNumber(counts[status])}</span>
          <StatusBadge status={status} />
        </li>
      ))}
    </ul>
  );
}

export function ComplianceTable({ rows, caption, extraColumn }: { rows: ComplianceRow[]; caption: string; extraColumn?: { header: string; cell: (row: ComplianceRow) => React.ReactNode } }) {
  const { t, formatDate } = useI18n();
  return (
    <DataTable
      caption={caption}
      rows={sortWorstFirst(rows)}
      rowKey={(row) => row.student._id}
      empty={t("home.caseload.empty")}
      columns={[
        {
          key: "name",
          header: t("student.name"),
          rowHeader: true,
          cell: (row) => <Link to={`/students/${row.student._id}`}>{`${row.student.lastName}, ${row.student.firstName}`}</Link>,
        },
        { key: "grade", header: t("student.grade"), cell: (row) => row.student.gradeLevel },
        { key: "iep", header: t("student.iepStatus"), cell: (row) => t(`iepStatus.${row.student.iepStatus}` as MessageKey) },
        { key: "worst", header: t("home.worst"), cell: (row) => <StatusBadge status={row.worst as ClockStatus} /> },
        {
          key: "clocks",
          header: t("studentPage.clocks"),
          cell: (row) => (
            <ul className="clock-list">
              {row.clocks
                // Dense: what still runs; completed and inapplicable clocks are on the student page.
                .filter((clock) => clock.status !== "not_applicable" && clock.status !== "complete")
                .map((clock) => (
                  <li key={clock.kind}>
                    {t(`clock.${clock.kind}` as MessageKey)}: <StatusBadge status={clock.status as ClockStatus} detail={clock.dueDate ? `${formatDate(clock.dueDate)}${daysText(t, clock.daysRemaining) ? ` (${daysText(t, clock.daysRemaining)})` : ""}` : undefined} />
                  </li>
                ))}
            </ul>
          ),
        },
        ...(extraColumn ? [{ key: "extra", header: extraColumn.header, cell: extraColumn.cell }] : []),
      ]}
    />
  );
}
