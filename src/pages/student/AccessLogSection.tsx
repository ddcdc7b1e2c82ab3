// D16: who read or changed this student's records (parents see it too, FERPA). Names come from
// the student's team (getTeam), which every reader of the log may read.
import { useQuery, usePaginatedQuery } from "convex/react";
import { api } from "../../../convex/_generated/api";
import type { Id } from "../../../convex/_generated/dataModel";
import { DataTable } from "../../components/DataTable";
import { useI18n } from "../../i18n/I18nProvider";

export function AccessLogSection({ studentId }: { studentId: Id<"students"> }) {
  const { t, formatDateTime } = useI18n();
  const { results, status, loadMore } = usePaginatedQuery(api.auditLog.listForStudent, { studentId }, { initialNumItems: 50 });
  const team = useQuery(api.students.getTeam, { studentId });
  const names = new Map<string, string>();
  const add = (id: string, u: { firstName: string; lastName: string } | null) => u && names.set(id, `${u.firstName} ${u.lastName}`);
  if (team) {
    add(team.caseManager.userId, team.caseManager.user);
    for (const m of team.members) add(m.userId, m.user);
    for (const g of team.guardians) add(g.userId, g.user);
  }
  return (
    <>
      <DataTable
        caption={t("studentPage.accessLog")}
        rows={results}
        rowKey={(e) => e._id}
        empty={status === "LoadingFirstPage" ? t("app.loading") : t("studentPage.noLog")}
        columns={[
          { key: "when", header: t("audit.when"), rowHeader: true, cell: (e) => formatDateTime(e.at) },
          { key: "who", header: t("audit.who"), cell: (e) => (e.actorId ? (names.get(e.actorId) ?? t("audit.actor.staff")) : t("audit.actor.system")) },
          { key: "action", header: t("audit.action"), cell: (e) => t(`audit.action.${e.action}`) },
          { key: "what", header: t("audit.what"), cell: (e) => `${e.targetTable}${e.details ? ` · ${e.details}` : ""}` },
        ]}
      />
      {status === "CanLoadMore" ? (
        <div className="actions">
          <button type="button" onClick={() => loadMore(50)}>
            {t("app.loadMore")}
          </button>
        </div>
      ) : null}
    </>
  );
}
