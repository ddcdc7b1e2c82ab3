// Organization settings (name, time zone, school year, grades, reporting periods) and compliance
// settings (D8), each form with an explicit Save and the unsaved-changes guard; usage vs limits.
import { useMutation, useQuery } from "convex/react";
import { useState, type FormEvent } from "react";
import { api } from "../../../convex/_generated/api";
import type { Doc } from "../../../convex/_generated/dataModel";
import { PageLoading } from "../../app/PageLoading";
import { TextField } from "../../components/Field";
import { UnsavedChangesGuard } from "../../components/UnsavedChangesGuard";
import { errorMessage } from "../../components/errors";
import { useToast } from "../../components/Toasts";
import { useI18n } from "../../i18n/I18nProvider";

export default function OrganizationPage() {
  const { t, formatNumber } = useI18n();
  const organization = useQuery(api.organizations.getMine);
  const usage = useQuery(api.organizations.getUsage);
  if (organization === undefined) return <PageLoading />;
  return (
    <section className="page">
      <h1>{t("admin.org.title")}</h1>
      {usage ? (
        <p className="intro">
          {t("admin.org.usage", { users: formatNumber(usage.activeUsers), maxUsers: formatNumber(usage.maxUsers), students: formatNumber(usage.activeStudents), maxStudents: formatNumber(usage.maxStudents) })}
        </p>
      ) : null}
      {/* Keyed by the stored version: another admin's save resets a form that has no edits. */}
      <GeneralSettings key={`g${organization._creationTime}`} organization={organization} />
      <ComplianceSettings organization={organization} />
    </section>
  );
}

function GeneralSettings({ organization }: { organization: Doc<"organizations"> }) {
  const { t } = useI18n();
  const toast = useToast();
  const update = useMutation(api.organizations.updateSettings);
  const s = organization.settings;
  const [name, setName] = useState(organization.name);
  const [timezone, setTimezone] = useState(s.timezone);
  const [start, setStart] = useState(s.academicYear.start);
  const [end, setEnd] = useState(s.academicYear.end);
  const [grades, setGrades] = useState(s.gradeSystem.join(", "));
  const [periods, setPeriods] = useState<string[]>(s.reportingPeriods);
  const [dirty, setDirty] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const edit = <T,>(setter: (v: T) => void) => (v: T) => {
    setter(v);
    setDirty(true);
  };
  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      await update({
        name: name.trim(),
        timezone: timezone.trim(),
        academicYear: { start, end },
        gradeSystem: grades.split(",").map((g) => g.trim()).filter(Boolean),
        reportingPeriods: periods.filter(Boolean).sort(),
      });
      setDirty(false);
      toast("success", t("app.saved"));
    } catch (caught) {
      setError(errorMessage(caught));
    }
  }
  return (
    <form className="card" onSubmit={submit} noValidate>
      <UnsavedChangesGuard dirty={dirty} />
      <h2>{t("admin.org.title")}</h2>
      <div className="form-row">
        <TextField label={t("admin.org.name")} value={name} onChange={(e) => edit(setName)(e.target.value)} required />
        <TextField label={t("admin.org.timezone")} value={timezone} onChange={(e) => edit(setTimezone)(e.target.value)} required />
      </div>
      <div className="form-row">
        <TextField label={t("admin.org.academicYearStart")} type="date" value={start} onChange={(e) => edit(setStart)(e.target.value)} />
        <TextField label={t("admin.org.academicYearEnd")} type="date" value={end} onChange={(e) => edit(setEnd)(e.target.value)} />
      </div>
      <TextField label={t("admin.org.grades")} value={grades} onChange={(e) => edit(setGrades)(e.target.value)} />
      <fieldset>
        <legend>{t("admin.org.reportingPeriods")}</legend>
        <p className="field-hint">{t("admin.org.periodsHint")}</p>
        {periods.map((period, index) => (
          <div className="form-row" key={index}>
            <TextField label={`${t("admin.org.reportingPeriodEnd")} ${index + 1}`} type="date" value={period} onChange={(e) => edit(setPeriods)(periods.map((p, i) => (i === index ? e.target.value : p)))} />
            <button type="button" style={{ marginTop: 28 }} onClick={() => edit(setPeriods)(periods.filter((_, i) => i !== index))} aria-label={`${t("app.remove")}: ${t("admin.org.reportingPeriodEnd")} ${index + 1}`}>
              {t("app.remove")}
            </button>
          </div>
        ))}
        <button type="button" onClick={() => edit(setPeriods)([...periods, ""])}>
          {t("admin.org.addPeriod")}
        </button>
      </fieldset>
      {error ? <p className="form-error" role="alert">{error}</p> : null}
      <div className="actions">
        <button type="submit" className="primary" disabled={!dirty}>
          {t("app.save")}
        </button>
      </div>
    </form>
  );
}

function ComplianceSettings({ organization }: { organization: Doc<"organizations"> }) {
  const { t } = useI18n();
  const toast = useToast();
  const update = useMutation(api.organizations.updateComplianceSettings);
  const c = organization.settings.complianceSettings;
  const [values, setValues] = useState({
    iepReviewCycle: String(c.iepReviewCycle),
    evaluationCycle: String(c.evaluationCycle),
    transitionAge: String(c.transitionAge),
    initialEvaluationDays: String(c.initialEvaluationDays ?? 60),
  });
  const [dirty, setDirty] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const set = (key: keyof typeof values, value: string) => {
    setValues({ ...values, [key]: value });
    setDirty(true);
  };
  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      await update({
        iepReviewCycle: Number(values.iepReviewCycle),
        evaluationCycle: Number(values.evaluationCycle),
        transitionAge: Number(values.transitionAge),
        initialEvaluationDays: Number(values.initialEvaluationDays),
      });
      setDirty(false);
      toast("success", t("app.saved"));
    } catch (caught) {
      setError(errorMessage(caught));
    }
  }
  return (
    <form className="card" onSubmit={submit} noValidate>
      <UnsavedChangesGuard dirty={dirty} />
      <h2>{t("admin.org.compliance")}</h2>
      <div className="form-row">
        <TextField label={t("admin.org.iepReviewCycle")} type="number" min={1} value={values.iepReviewCycle} onChange={(e) => set("iepReviewCycle", e.target.value)} />
        <TextField label={t("admin.org.evaluationCycle")} type="number" min={1} value={values.evaluationCycle} onChange={(e) => set("evaluationCycle", e.target.value)} />
        <TextField label={t("admin.org.transitionAge")} type="number" min={14} max={22} value={values.transitionAge} onChange={(e) => set("transitionAge", e.target.value)} />
        <TextField label={t("admin.org.initialEvaluationDays")} type="number" min={1} value={values.initialEvaluationDays} onChange={(e) => set("initialEvaluationDays", e.target.value)} />
      </div>
      {error ? <p className="form-error" role="alert">{error}</p> : null}
      <div className="actions">
        <button type="submit" className="primary" disabled={!dirty}>
          {t("app.save")}
        </button>
      </div>
    </form>
  );
}
