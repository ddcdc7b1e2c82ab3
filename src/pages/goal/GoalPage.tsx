// A goal: the decision and the data behind it, the progress graph with its table alternative, and
// fast data entry for those who may record progress. Live: another person's entry appears at once.
import { useMutation, useQuery } from "convex/react";
import { useState } from "react";
import { Link, useParams } from "react-router";
import { api } from "../../../convex/_generated/api";
import type { Id } from "../../../convex/_generated/dataModel";
import { isStaff, useCurrentUser } from "../../app/CurrentUser";
import { PageLoading } from "../../app/PageLoading";
import { errorMessage } from "../../components/errors";
import { useToast } from "../../components/Toasts";
import { DataEntryForm, type Measurement } from "../../features/dataEntry/DataEntryForm";
import { ProgressChart } from "../../features/progressChart/ProgressChart";
import { ProgressTable } from "../../features/progressChart/ProgressTable";
import { phaseChangeDates } from "../../features/progressChart/phaseChanges";
import { useI18n } from "../../i18n/I18nProvider";
import type { MessageKey } from "../../i18n/en";

export default function GoalPage() {
  const { goalId } = useParams() as { goalId: Id<"goals"> };
  const { t, formatDate, formatNumber, formatPercent } = useI18n();
  const user = useCurrentUser();
  const toast = useToast();
  const data = useQuery(api.progress.getGoalProgress, { goalId });
  // D7: a student reads their own goals and progress, not the IEP nor the student record; asking
  // for the IEP would refuse the whole page.
  const readsRecord = user.role !== "student";
  const iep = useQuery(api.ieps.getIEPWithGoals, data && readsRecord ? { iepId: data.goal.iepId } : "skip");
  const record = useMutation(api.progress.record);
  const [view, setView] = useState<"graph" | "table">("graph");
  if (data === undefined) return <PageLoading />;
  if (data === null) return <h1>{t("app.notFound")}</h1>;
  const { goal, progressData, trendAnalysis: trend, summary } = data;
  const unit = goal.targetCriteria.measurement || goal.baselineData.measurement;
  const input = {
    baselineDate: goal.baselineData.date,
    baselineValue: goal.baselineData.value,
    targetDate: goal.targetDate,
    targetValue: goal.targetCriteria.target,
    points: progressData.map((p) => ({ date: p.recordedDate, value: p.measurementValue })),
    phaseChanges: iep ? phaseChangeDates(goal, iep.goals) : [],
  };
  const onRecord = async (m: Measurement) => {
    try {
      await record({ goalId, ...m, measurementUnit: unit });
      toast("success", t("entry.recorded", { value: formatNumber(m.measurementValue), date: formatDate(m.recordedDate) }));
    } catch (error) {
      throw new Error(errorMessage(error));
    }
  };
  return (
    <section className="page">
      <p>
        {readsRecord ? <Link to={`/students/${goal.studentId}`}>← {t("studentPage.goals")}</Link> : <Link to="/">← {t("home.student.title")}</Link>}
        {iep ? (
          <>
            {" · "}
            <Link to={`/ieps/${iep._id}`}>{t("iep.title", { version: iep.version })}</Link>
          </>
        ) : null}
      </p>
      <h1>
        {t("goal.title")} {goal.goalNumber}: {t(`goal.domain.${goal.domain}` as MessageKey)}
      </h1>
      <p>{goal.description}</p>
      <dl className="facts card">
        <dt>{t("goal.baseline")}</dt>
        <dd>{`${formatNumber(goal.baselineData.value)} ${goal.baselineData.measurement} (${formatDate(goal.baselineData.date)})`}</dd>
        <dt>{t("goal.target")}</dt>
        <dd>{`${formatNumber(goal.targetCriteria.target)} ${unit} · ${t(`goal.direction.${goal.direction}`)}`}</dd>
        <dt>{t("goal.targetDate")}</dt>
        <dd>{formatDate(goal.targetDate)}</dd>
      </dl>
      <div className="decision" role="status">
        <h2>{t("goal.decision")}</h2>
        <p>
          <strong>{t(`goal.decision.${trend.decision}` as MessageKey)}</strong>
        </p>
        <p>
          {t("goal.dataBehind", { points: formatNumber(trend.dataPoints), weeks: formatNumber(trend.weeksOfData, 1) })}{" "}
          {!trend.sufficientData ? t("goal.dataNeeded") : null}
        </p>
        {trend.ols ? <p>{t("goal.trendSlope", { slope: formatNumber(trend.ols.slopePerWeek), aim: formatNumber(trend.aimLine.slopePerWeek) })}</p> : null}
        {trend.projectedValueAtGoalDate !== null ? <p>{t("goal.projected", { value: formatNumber(trend.projectedValueAtGoalDate, 1) })}</p> : null}
        {summary.progressToTarget !== null ? <p>{t("goal.progressToTarget", { percent: formatPercent(summary.progressToTarget / 100) })}</p> : null}
      </div>
      <h2>{t("goal.progress")}</h2>
      <div className="tabs" role="tablist" aria-label={t("goal.progress")}>
        {(["graph", "table"] as const).map((option) => (
          <button key={option} type="button" role="tab" id={`tab-${option}`} aria-selected={view === option} aria-controls={`panel-${option}`} onClick={() => setView(option)}>
            {t(option === "graph" ? "goal.viewGraph" : "goal.viewTable")}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${view}`} aria-labelledby={`tab-${view}`}>
        {view === "graph" ? (
          <ProgressChart input={input} unit={unit} />
        ) : (
          <ProgressTable input={input} unit={unit} rows={progressData.map((p) => ({ key: p._id, date: p.recordedDate, value: p.measurementValue, notes: p.observationNotes }))} />
        )}
      </div>
      {isStaff(user) && goal.isActive ? <DataEntryForm unit={unit} onRecord={onRecord} /> : null}
    </section>
  );
}
