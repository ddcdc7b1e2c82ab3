// The newest measurement across a student's active goals, for the caseload table. One live query
// per goal would be heavy; the goal list is live and the newest goal's progress is shown.
import { useQuery } from "convex/react";
import { Link } from "react-router";
import { api } from "../../../convex/_generated/api";
import type { Id } from "../../../convex/_generated/dataModel";
import { useI18n } from "../../i18n/I18nProvider";
import type { MessageKey } from "../../i18n/en";

export function LatestProgress({ studentId }: { studentId: Id<"students"> }) {
  const { t, formatDate, formatNumber } = useI18n();
  const goals = useQuery(api.goals.listForStudent, { studentId });
  const goal = goals?.[0];
  const progress = useQuery(api.progress.getGoalProgress, goal ? { goalId: goal._id } : "skip");
  if (!goal) return <span className="muted">—</span>;
  const latest = progress?.summary.latestMeasurement;
  return (
    <Link to={`/goals/${goal._id}`}>
      {t(`goal.domain.${goal.domain}` as MessageKey)}
      {latest ? `: ${formatNumber(latest.measurementValue)} ${latest.measurementUnit} (${formatDate(latest.recordedDate)})` : ""}
      {progress ? ` · ${t(`goal.decision.${progress.trendAnalysis.decision}` as MessageKey).split(":")[0]}` : ""}
    </Link>
  );
}
