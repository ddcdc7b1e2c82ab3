// Students: a page at a time (students.list: sorted by name, grade or number server-side), name
// search (students.search), and filters by grade, enrollment, IEP status and case manager.
// The server pages by one index at a time, so the filters narrow the rows loaded so far and say so.
import { useQuery, usePaginatedQuery } from "convex/react";
import { useMemo, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { api } from "../../../convex/_generated/api";
import type { Id } from "../../../convex/_generated/dataModel";
import { useCurrentUser } from "../../app/CurrentUser";
import { DataTable } from "../../components/DataTable";
import { SelectField, TextField } from "../../components/Field";
import { useI18n } from "../../i18n/I18nProvider";
import type { MessageKey } from "../../i18n/en";

type SortBy = "name" | "grade" | "studentNumber";
const ENROLLMENT = ["active", "inactive", "graduated", "transferred"] as const;
const IEP_STATUS = ["active", "pending", "expired", "not_applicable"] as const;

export default function StudentsPage() {
  const { t, formatNumber } = useI18n();
  const user = useCurrentUser();
  const [params, setParams] = useSearchParams();
  const sortBy = (params.get("sort") as SortBy | null) ?? "name";
  const order = params.get("order") === "desc" ? "desc" : "asc";
  const grade = params.get("grade") ?? "";
  const enrollment = params.get("enrollment") ?? "";
  const iepStatus = params.get("iep") ?? "";
  const caseManager = params.get("cm") ?? "";
  const [search, setSearch] = useState(params.get("q") ?? "");
  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  const staff = useQuery(api.users.getUsersByOrganization, { organizationId: user.organizationId });
  const managers = useMemo(() => (staff ?? []).filter((u) => u.role === "teacher" || u.role === "specialist" || u.role === "admin"), [staff]);
  const listArgs = {
    sortBy,
    order,
    ...(user.role === "admin" && caseManager ? { caseManagerId: caseManager as Id<"users"> } : {}),
  } as const;
  const searching = search.trim().length >= 2;
  const { results, status, loadMore } = usePaginatedQuery(api.students.list, searching ? "skip" : listArgs, { initialNumItems: 50 });
  const found = useQuery(api.students.search, searching ? { query: search.trim(), limit: 50 } : "skip");
  const source = searching ? (found ?? []) : results;
  // Teachers page through their caseload in the case-manager index's order: sort what is loaded.
  const key = (s: (typeof source)[number]) =>
    sortBy === "grade" ? s.gradeLevel : sortBy === "studentNumber" ? s.studentNumber : `${s.lastName}\u0000${s.firstName}`;
  const sorted = [...source].sort((a, b) => key(a).localeCompare(key(b), undefined, { numeric: true }) * (order === "desc" ? -1 : 1));
  const rows = sorted.filter(
    (s) =>
      (!grade || s.gradeLevel === grade) &&
      (!enrollment || s.enrollmentStatus === enrollment) &&
      (!iepStatus || s.iepStatus === iepStatus) &&
      (!caseManager || s.caseManagerId === caseManager),
  );
  const grades = [...new Set(source.map((s) => s.gradeLevel))].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  const nameOf = (id: string) => {
    const m = staff?.find((u) => u._id === id);
    return m ? `${m.firstName} ${m.lastName}` : "—";
  };
  const any = { value: "", label: t("students.filter.any") };
  const filtered = Boolean(grade || enrollment || iepStatus || (caseManager && user.role !== "admin"));

  return (
    <section className="page">
      <h1>{t("students.title")}</h1>
      <form role="search" onSubmit={(e) => e.preventDefault()} className="card">
        <div className="form-row">
          <TextField
            label={t("students.search")}
            type="search"
            value={search}
            hint={t("students.searchHint")}
            onChange={(e) => {
              setSearch(e.target.value);
              set("q", e.target.value);
            }}
          />
          <SelectField label={t("students.sort")} value={sortBy} onChange={(e) => set("sort", e.target.value)} disabled={searching} options={(["name", "grade", "studentNumber"] as const).map((s) => ({ value: s, label: t(`students.sort.${s}`) }))} />
          <SelectField label={t("students.order")} value={order} onChange={(e) => set("order", e.target.value)} disabled={searching} options={[{ value: "asc", label: t("students.order.asc") }, { value: "desc", label: t("students.order.desc") }]} />
        </div>
        <fieldset className="form-row">
          <legend>{t("students.filters")}</legend>
          <SelectField label={t("student.grade")} value={grade} onChange={(e) => set("grade", e.target.value)} options={[any, ...grades.map((g) => ({ value: g, label: g }))]} />
          <SelectField label={t("student.enrollment")} value={enrollment} onChange={(e) => set("enrollment", e.target.value)} options={[any, ...ENROLLMENT.map((s) => ({ value: s, label: t(`enrollment.${s}`) }))]} />
          <SelectField label={t("student.iepStatus")} value={iepStatus} onChange={(e) => set("iep", e.target.value)} options={[any, ...IEP_STATUS.map((s) => ({ value: s, label: t(`iepStatus.${s}` as MessageKey) }))]} />
          {user.role === "admin" ? (
            <SelectField label={t("student.caseManager")} value={caseManager} onChange={(e) => set("cm", e.target.value)} options={[any, ...managers.map((m) => ({ value: m._id, label: `${m.lastName}, ${m.firstName}` }))]} />
          ) : null}
        </fieldset>
      </form>
      <p role="status">{t("students.count", { shown: formatNumber(rows.length) })}</p>
      {filtered && status === "CanLoadMore" ? <p className="field-hint">{t("students.filteredNote")}</p> : null}
      <DataTable
        caption={t("students.title")}
        captionHidden
        rows={rows}
        rowKey={(s) => s._id}
        empty={status === "LoadingFirstPage" || (searching && found === undefined) ? t("app.loading") : t("students.empty")}
        columns={[
          { key: "name", header: t("student.name"), rowHeader: true, cell: (s) => <Link to={`/students/${s._id}`}>{`${s.lastName}, ${s.firstName}`}</Link> },
          { key: "number", header: t("student.number"), cell: (s) => s.studentNumber },
          { key: "grade", header: t("student.grade"), cell: (s) => s.gradeLevel },
          { key: "disability", header: t("student.disability"), cell: (s) => s.primaryDisability },
          { key: "enrollment", header: t("student.enrollment"), cell: (s) => t(`enrollment.${s.enrollmentStatus}`) },
          { key: "iep", header: t("student.iepStatus"), cell: (s) => t(`iepStatus.${s.iepStatus}` as MessageKey) },
          { key: "cm", header: t("student.caseManager"), cell: (s) => nameOf(s.caseManagerId) },
        ]}
      />
      {!searching && status === "CanLoadMore" ? (
        <div className="actions">
          <button type="button" onClick={() => loadMore(50)}>
            {t("app.loadMore")}
          </button>
        </div>
      ) : null}
    </section>
  );
}
