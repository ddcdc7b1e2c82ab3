// The chart's accessible alternative: every measurement with the aim-line and trend values on its
// date and its phase, so a screen-reader user gets the same information as the picture.
import { DataTable } from "../../components/DataTable";
import { useI18n } from "../../i18n/I18nProvider";
import { aimValueAt, computeChartGeometry, phaseOf, weeksBetween, type ChartInput } from "./chartGeometry";

export interface TableRow {
  key: string;
  date: string;
  value: number;
  notes?: string;
}

export function ProgressTable({ input, rows, unit }: { input: ChartInput; rows: TableRow[]; unit: string }) {
  const { t, formatDate, formatNumber } = useI18n();
  const { trend } = computeChartGeometry(input);
  const sorted = [...rows].sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));
  return (
    <DataTable
      caption={t("chart.table.caption")}
      rows={sorted}
      rowKey={(row) => row.key}
      empty={t("chart.noData")}
      columns={[
        { key: "date", header: t("chart.table.date"), rowHeader: true, cell: (row) => formatDate(row.date) },
        { key: "value", header: `${t("chart.table.value")} (${unit})`, align: "end", cell: (row) => formatNumber(row.value) },
        { key: "aim", header: t("chart.table.aim"), align: "end", cell: (row) => formatNumber(aimValueAt(input, row.date), 1) },
        {
          key: "trend",
          header: t("chart.table.trend"),
          align: "end",
          cell: (row) => (trend ? formatNumber(trend.intercept + trend.slopePerWeek * weeksBetween(input.baselineDate, row.date), 1) : "—"),
        },
        { key: "phase", header: t("chart.table.phase"), align: "end", cell: (row) => formatNumber(phaseOf(input.phaseChanges, row.date)) },
        { key: "notes", header: t("chart.table.notes"), cell: (row) => row.notes ?? "" },
      ]}
    />
  );
}
