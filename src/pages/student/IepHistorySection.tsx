import { useQuery } from "convex/react";
import { Link } from "react-router";
import { api } from "../../../convex/_generated/api";
import type { Id } from "../../../convex/_generated/dataModel";
import { isStaff, useCurrentUser } from "../../app/CurrentUser";
import { DataTable } from "../../components/DataTable";
import { NewIepForm } from "../../features/iep/NewIepForm";
import { useI18n } from "../../i18n/I18nProvider";

export function IepHistorySection({ studentId }: { studentId: Id<"students"> }) {
  const { t, formatDate } = useI18n();
  const ieps = useQuery(api.ieps.listForStudent, { studentId });
  const user = useCurrentUser();
  // One draft at a time: while one is being written (or reviewed), it is edited, not duplicated.
  const writing = ieps?.some((i) => i.status === "draft" || i.status === "in_review");
  return (
    <>
    {isStaff(user) && ieps !== undefined && !writing ? <NewIepForm studentId={studentId} /> : null}
    <DataTable
      caption={t("studentPage.ieps")}
      rows={ieps ?? []}
      rowKey={(i) => i._id}
      empty={ieps === undefined ? t("app.loading") : t("studentPage.noIeps")}
      columns={[
        { key: "version", header: t("iep.version"), rowHeader: true, cell: (i) => <Link to={`/ieps/${i._id}`}>{t("iep.title", { version: i.version })}</Link> },
        { key: "status", header: t("iep.status"), cell: (i) => t(`iep.status.${i.status}`) },
        { key: "effective", header: t("iep.effectiveDate"), cell: (i) => formatDate(i.effectiveDate) },
        { key: "expiration", header: t("iep.expirationDate"), cell: (i) => formatDate(i.expirationDate) },
        { key: "review", header: t("iep.nextReviewDate"), cell: (i) => formatDate(i.nextReviewDate) },
      ]}
    />
    </>
  );
}
