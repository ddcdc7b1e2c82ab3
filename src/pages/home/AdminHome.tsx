import { usePaginatedQuery } from "convex/react";
import { api } from "../../../convex/_generated/api";
import { ComplianceTable, StatusCounts } from "../../features/compliance/ComplianceTable";
import { useT } from "../../i18n/I18nProvider";

export default function AdminHome() {
  const t = useT();
  const { results, status, loadMore } = usePaginatedQuery(api.compliance.organizationDashboard, {}, { initialNumItems: 100 });
  return (
    <section className="page">
      <h1>{t("home.admin.title")}</h1>
      <p className="intro">{t("home.admin.intro")}</p>
      {status === "LoadingFirstPage" ? (
        <p role="status">{t("app.loading")}</p>
      ) : (
        <>
          <StatusCounts rows={results} />
          <ComplianceTable rows={results} caption={t("home.admin.title")} />
        </>
      )}
      {status === "CanLoadMore" ? (
        <div className="actions">
          <button type="button" onClick={() => loadMore(100)}>
            {t("app.loadMore")}
          </button>
        </div>
      ) : null}
    </section>
  );
}
