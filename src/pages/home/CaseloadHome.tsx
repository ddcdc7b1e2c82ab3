import { usePaginatedQuery } from "convex/react";
import { api } from "../../../convex/_generated/api";
import { ComplianceTable, StatusCounts } from "../../features/compliance/ComplianceTable";
import { LatestProgress } from "../../features/compliance/LatestProgress";
import { useT } from "../../i18n/I18nProvider";

export default function CaseloadHome() {
  const t = useT();
  const { results, status, loadMore } = usePaginatedQuery(api.compliance.caseloadDashboard, {}, { initialNumItems: 60 });
  return (
    <section className="page">
      <h1>{t("home.caseload.title")}</h1>
      <p className="intro">{t("home.caseload.intro")}</p>
      {status === "LoadingFirstPage" ? (
        <p role="status">{t("app.loading")}</p>
      ) : (
        <>
          <StatusCounts rows={results} />
          <ComplianceTable
            rows={results}
            caption={t("home.caseload.title")}
            extraColumn={{ header: t("home.latestProgress"), cell: (row) => <LatestProgress studentId={row.student._id} /> }}
          />
        </>
      )}
      {status === "CanLoadMore" ? (
        <div className="actions">
          <button type="button" onClick={() => loadMore(60)}>
            {t("app.loadMore")}
          </button>
        </div>
      ) : null}
    </section>
  );
}
