// One IEP version: its sections (view, or the editor for a draft), goals, lifecycle and history.
import { useQuery } from "convex/react";
import { useState } from "react";
import { Link, useParams } from "react-router";
import { api } from "../../../convex/_generated/api";
import type { Id } from "../../../convex/_generated/dataModel";
import { isStaff, useCurrentUser } from "../../app/CurrentUser";
import { PageLoading } from "../../app/PageLoading";
import { IepEditor } from "../../features/iep/IepEditor";
import { IepLifecycle } from "../../features/iep/IepLifecycle";
import { IepView } from "../../features/iep/IepView";
import { NewGoalForm } from "../../features/iep/NewGoalForm";
import { VersionHistory } from "../../features/iep/VersionHistory";
import { useT } from "../../i18n/I18nProvider";

export default function IepPage() {
  const { iepId } = useParams() as { iepId: Id<"ieps"> };
  const t = useT();
  const user = useCurrentUser();
  const iep = useQuery(api.ieps.getIEPWithGoals, { iepId });
  const staff = useQuery(api.users.getUsersByOrganization, isStaff(user) ? { organizationId: user.organizationId } : "skip");
  const team = useQuery(api.students.getTeam, iep ? { studentId: iep.studentId } : "skip");
  const [editing, setEditing] = useState(false);
  if (iep === undefined) return <PageLoading />;
  if (iep === null) return <h1>{t("app.notFound")}</h1>;
  const names = new Map<string, string>();
  for (const u of staff ?? []) names.set(u._id, `${u.firstName} ${u.lastName}`);
  if (team) {
    if (team.caseManager.user) names.set(team.caseManager.userId, `${team.caseManager.user.firstName} ${team.caseManager.user.lastName}`);
    for (const m of [...team.members, ...team.guardians]) if (m.user) names.set(m.userId, `${m.user.firstName} ${m.user.lastName}`);
  }
  const nameOf = (id: string) => names.get(id) ?? "—";
  const { goals, ...content } = iep;
  return (
    <section className="page">
      <p>
        <Link to={`/students/${iep.studentId}`}>← {t("studentPage.ieps")}</Link>
      </p>
      <h1>
        {t("iep.title", { version: iep.version })} · {t(`iep.status.${iep.status}`)}
      </h1>
      {iep.status !== "draft" && isStaff(user) ? <p className="field-hint">{t("iep.readOnly")}</p> : null}
      {editing && iep.status === "draft" ? (
        <IepEditor iepId={iepId} iep={content} staff={(staff ?? []).filter((u) => u.role !== "parent" && u.role !== "student")} onDone={() => setEditing(false)} />
      ) : (
        <IepView iep={content} nameOf={nameOf} />
      )}
      <IepLifecycle iep={content} nameOf={nameOf} onEdit={() => setEditing(true)} />
      <section className="card" aria-labelledby="iep-goals-title">
        <h2 id="iep-goals-title">{t("iep.goals")}</h2>
        <ul>
          {goals.map((g) => (
            <li key={g._id}>
              <Link to={`/goals/${g._id}`}>{`${g.goalNumber}. ${g.description}`}</Link>
              {!g.isActive ? ` (${t("goal.archived")})` : ""}
            </li>
          ))}
        </ul>
        {(iep.status === "draft" || iep.status === "in_review") && isStaff(user) ? (
          <NewGoalForm
            iepId={iepId}
            providers={(staff ?? []).filter((u) => u.isActive && (u.role === "teacher" || u.role === "specialist"))}
            defaultProvider={user.role === "teacher" || user.role === "specialist" ? user._id : undefined}
          />
        ) : null}
      </section>
      <VersionHistory iep={content} nameOf={nameOf} />
    </section>
  );
}
