// One student: profile, clocks, team and guardians, IEP history, goals, documents and the access
// log, as tabs (one live query per tab, loaded when the tab opens). Opening the record is logged
// (D16: students.recordView) for staff.
import { useMutation, useQuery } from "convex/react";
import { useEffect, useState } from "react";
import { useParams } from "react-router";
import { api } from "../../../convex/_generated/api";
import type { Id } from "../../../convex/_generated/dataModel";
import { isStaff, useCurrentUser } from "../../app/CurrentUser";
import { PageLoading } from "../../app/PageLoading";
import { DocumentsSection } from "../../features/documents/DocumentsSection";
import { useT } from "../../i18n/I18nProvider";
import type { MessageKey } from "../../i18n/en";
import { AccessLogSection } from "./AccessLogSection";
import { GoalsSection } from "./GoalsSection";
import { IepHistorySection } from "./IepHistorySection";
import { ProfileSection } from "./ProfileSection";
import { TeamSection } from "./TeamSection";

const TABS = ["profile", "team", "ieps", "goals", "documents", "accessLog"] as const;
type Tab = (typeof TABS)[number];

export default function StudentPage() {
  const { studentId } = useParams() as { studentId: Id<"students"> };
  const t = useT();
  const user = useCurrentUser();
  const student = useQuery(api.students.getStudentDetail, { studentId });
  const recordView = useMutation(api.students.recordView);
  const [tab, setTab] = useState<Tab>("profile");
  useEffect(() => {
    if (isStaff(user)) void recordView({ studentId }).catch(() => undefined);
  }, [studentId, user, recordView]);
  if (student === undefined) return <PageLoading />;
  if (student === null) return <h1>{t("app.notFound")}</h1>;
  const tabs = TABS.filter((name) => name !== "accessLog" || user.role !== "specialist");
  const onKeyDown = (event: React.KeyboardEvent) => {
    // WAI-ARIA tabs: arrows move between tabs.
    const index = tabs.indexOf(tab);
    const next = event.key === "ArrowRight" ? index + 1 : event.key === "ArrowLeft" ? index - 1 : null;
    if (next === null) return;
    const target = tabs[(next + tabs.length) % tabs.length];
    setTab(target);
    document.getElementById(`student-tab-${target}`)?.focus();
  };
  return (
    <section className="page">
      <h1>{`${student.firstName} ${student.lastName}`}</h1>
      <p className="intro">
        {t("student.gradeValue", { grade: student.gradeLevel })} · {student.studentNumber} · {t("student.iepStatus")}: {t(`iepStatus.${student.iepStatus}` as MessageKey)}
      </p>
      <div className="tabs" role="tablist" aria-label={`${student.firstName} ${student.lastName}`} onKeyDown={onKeyDown}>
        {tabs.map((name) => (
          <button
            key={name}
            id={`student-tab-${name}`}
            type="button"
            role="tab"
            aria-selected={tab === name}
            aria-controls="student-panel"
            tabIndex={tab === name ? 0 : -1}
            onClick={() => setTab(name)}
          >
            {t(`studentPage.${name}`)}
          </button>
        ))}
      </div>
      <div id="student-panel" role="tabpanel" aria-labelledby={`student-tab-${tab}`} tabIndex={0}>
        {tab === "profile" ? <ProfileSection student={student} /> : null}
        {tab === "team" ? <TeamSection studentId={studentId} /> : null}
        {tab === "ieps" ? <IepHistorySection studentId={studentId} /> : null}
        {tab === "goals" ? <GoalsSection studentId={studentId} /> : null}
        {tab === "documents" ? <DocumentsSection studentId={studentId} canUpload={isStaff(user)} /> : null}
        {tab === "accessLog" ? <AccessLogSection studentId={studentId} /> : null}
      </div>
    </section>
  );
}
