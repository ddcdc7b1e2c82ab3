import { useQuery } from "convex/react";
import { Link } from "react-router";
import { api } from "../../../convex/_generated/api";
import type { Id } from "../../../convex/_generated/dataModel";
import { DataTable } from "../../components/DataTable";
import { useI18n } from "../../i18n/I18nProvider";

export function GoalsSection({ studentId }: { studentId: Id<"students"> }) {
  const { t, formatDate, formatNumber } = useI18n();
  const goals = useQuery(api.goals.listForStudent, { studentId });
  return (
    <DataTable
      caption={t("studentPage.goals")}
      rows={goals ?? []}
      rowKey={(g) => g._id}
      empty={goals === undefined ? t("app.loading") : t("studentPage.noGoals")}
      columns={[
        { key: "goal", header: t("goal.title"), rowHeader: true, cell: (g) => <Link to={`/goals/${g._id}`}>{`${g.goalNumber}. ${g.description}`}</Link> },
        { key: "domain", header: t("goal.domain"), cell: (g) => t(`goal.domain.${g.domain}`) },
        { key: "baseline", header: t("goal.baseline"), align: "end", cell: (g) => `${formatNumber(g.baselineData.value)} ${g.baselineData.measurement}` },
        { key: "target", header: t("goal.target"), align: "end", cell: (g) => `${formatNumber(g.targetCriteria.target)} ${g.targetCriteria.measurement}` },
        { key: "date", header: t("goal.targetDate"), cell: (g) => formatDate(g.targetDate) },
      ]}
    />
  );
}
