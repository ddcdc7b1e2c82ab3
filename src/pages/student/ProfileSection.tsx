import { useQuery } from "convex/react";
import type { FunctionReturnType } from "convex/server";
import { api } from "../../../convex/_generated/api";
import { isStaff, useCurrentUser } from "../../app/CurrentUser";
import { StatusBadge, daysText, type ClockStatus } from "../../components/StatusBadge";
import { useI18n } from "../../i18n/I18nProvider";
import type { MessageKey } from "../../i18n/en";

type Student = NonNullable<FunctionReturnType<typeof api.students.getStudentDetail>>;

export function ProfileSection({ student }: { student: Student }) {
  const { t, formatDate } = useI18n();
  const user = useCurrentUser();
  return (
    <div className="grid-2">
      <div className="card">
        <h2>{t("studentPage.profile")}</h2>
        <dl className="facts">
          <dt>{t("student.number")}</dt>
          <dd>{student.studentNumber}</dd>
          <dt>{t("student.dateOfBirth")}</dt>
          <dd>{formatDate(student.dateOfBirth)}</dd>
          <dt>{t("student.grade")}</dt>
          <dd>{student.gradeLevel}</dd>
          <dt>{t("student.disability")}</dt>
          <dd>{student.primaryDisability}</dd>
          <dt>{t("student.secondaryDisabilities")}</dt>
          <dd>{student.secondaryDisabilities?.join(", ") || t("app.none")}</dd>
          <dt>{t("student.enrollment")}</dt>
          <dd>{t(`enrollment.${student.enrollmentStatus}`)}</dd>
          <dt>{t("student.medical")}</dt>
          <dd>{student.medicalConsiderations || t("app.none")}</dd>
          <dt>{t("student.transportation")}</dt>
          <dd>{student.transportationNeeds || t("app.none")}</dd>
        </dl>
        <h3>{t("student.emergencyContacts")}</h3>
        <ul>
          {student.emergencyContacts.map((c, i) => (
            <li key={i}>{`${c.name} (${c.relationship}) · ${c.phone}${c.email ? ` · ${c.email}` : ""}`}</li>
          ))}
        </ul>
      </div>
      {isStaff(user) ? <Clocks studentId={student._id} /> : null}
    </div>
  );

  function Clocks({ studentId }: { studentId: Student["_id"] }) {
    const row = useQuery(api.compliance.getStudentClocks, { studentId });
    return (
      <div className="card">
        <h2>{t("studentPage.clocks")}</h2>
        {row === undefined ? <p role="status">{t("app.loading")}</p> : null}
        <ul className="clock-list">
          {row?.clocks.map((clock) => (
            <li key={clock.kind}>
              {t(`clock.${clock.kind}` as MessageKey)}:{" "}
              <StatusBadge status={clock.status as ClockStatus} detail={clock.dueDate ? `${formatDate(clock.dueDate)}${clock.daysRemaining !== null ? ` (${daysText(t, clock.daysRemaining)})` : ""}` : undefined} />
            </li>
          ))}
        </ul>
      </div>
    );
  }
}
