import { useQuery } from "convex/react";
import { api } from "../../../convex/_generated/api";
import type { Id } from "../../../convex/_generated/dataModel";
import { useCurrentUser } from "../../app/CurrentUser";
import { DataTable } from "../../components/DataTable";
import { ChangeCaseManager } from "../../features/team/ChangeCaseManager";
import { useI18n } from "../../i18n/I18nProvider";

export function TeamSection({ studentId }: { studentId: Id<"students"> }) {
  const { t, formatDate } = useI18n();
  const team = useQuery(api.students.getTeam, { studentId });
  const user = useCurrentUser();
  if (team === undefined) return <p role="status">{t("app.loading")}</p>;
  const name = (u: { firstName: string; lastName: string } | null) => (u ? `${u.firstName} ${u.lastName}` : "—");
  return (
    <>
      <h2>{t("studentPage.team")}</h2>
      <p>
        {t("student.caseManager")}: <strong>{name(team.caseManager.user)}</strong>
      </p>
      {user.role === "admin" ? <ChangeCaseManager studentId={studentId} currentId={team.caseManager.userId} /> : null}
      <DataTable
        caption={t("studentPage.team")}
        captionHidden
        rows={team.members}
        rowKey={(m) => m._id}
        columns={[
          { key: "name", header: t("student.name"), rowHeader: true, cell: (m) => name(m.user) },
          { key: "kind", header: t("studentPage.memberKind"), cell: (m) => t(`memberKind.${m.kind}`) },
          { key: "since", header: t("studentPage.since"), cell: (m) => formatDate(m.startDate) },
        ]}
      />
      <h2>{t("studentPage.guardians")}</h2>
      <DataTable
        caption={t("studentPage.guardians")}
        captionHidden
        rows={team.guardians}
        rowKey={(g) => g._id}
        columns={[
          { key: "name", header: t("student.name"), rowHeader: true, cell: (g) => name(g.user) },
          { key: "relationship", header: t("studentPage.relationship"), cell: (g) => g.relationship },
          { key: "rights", header: t("studentPage.educationalRights"), cell: (g) => (g.holdsEducationalRights ? t("app.yes") : t("app.no")) },
        ]}
      />
    </>
  );
}
