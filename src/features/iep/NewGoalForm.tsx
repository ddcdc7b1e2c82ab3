// Editors add a measurable annual goal to a draft or in-review IEP (goals.create; D13: the target
// date defaults to the IEP's expiration date). Adding a goal voids signatures already given (D11).
import { useMutation } from "convex/react";
import { useState, type FormEvent } from "react";
import { api } from "../../../convex/_generated/api";
import type { Doc, Id } from "../../../convex/_generated/dataModel";
import { SelectField, TextAreaField, TextField } from "../../components/Field";
import { errorMessage } from "../../components/errors";
import { useToast } from "../../components/Toasts";
import { useI18n } from "../../i18n/I18nProvider";
import { addDaysIso, localIsoDate } from "./isoDates";

const DOMAINS = ["academic", "behavioral", "communication", "social", "motor", "adaptive", "vocational"] as const;
type Provider = Pick<Doc<"users">, "_id" | "firstName" | "lastName" | "role">;

export function NewGoalForm({ iepId, providers, defaultProvider }: { iepId: Id<"ieps">; providers: Provider[]; defaultProvider?: Id<"users"> }) {
  const { t } = useI18n();
  const toast = useToast();
  const createGoal = useMutation(api.goals.create);
  const blank = () => ({
    domain: "academic" as (typeof DOMAINS)[number],
    description: "",
    measurement: "",
    baselineValue: "",
    baselineDate: addDaysIso(localIsoDate(), -7),
    targetValue: "",
    direction: "increase" as "increase" | "decrease",
    provider: defaultProvider ?? "",
    evaluationMethod: "",
    frequency: "",
    conditions: "",
  });
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState(blank);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const set = (key: keyof ReturnType<typeof blank>) => (event: { target: { value: string } }) => setForm({ ...form, [key]: event.target.value });
  if (!open) {
    return (
      <div className="actions">
        <button type="button" onClick={() => setOpen(true)}>
          {t("goal.new")}
        </button>
      </div>
    );
  }
  const complete = form.description.trim() && form.measurement.trim() && form.baselineValue.trim() && form.targetValue.trim() && form.provider;
  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const measurement = form.measurement.trim();
      await createGoal({
        iepId,
        domain: form.domain,
        description: form.description.trim(),
        baselineData: { measurement, date: form.baselineDate, value: Number(form.baselineValue.replace(",", ".")), context: form.conditions.trim() },
        targetCriteria: { measurement, target: Number(form.targetValue.replace(",", ".")), timeframe: "", accuracy: "", conditions: form.conditions.trim() },
        direction: form.direction,
        evaluationMethod: form.evaluationMethod.trim(),
        frequency: form.frequency.trim(),
        responsibleProvider: form.provider as Id<"users">,
      });
      toast("success", t("goal.created"));
      setForm(blank());
      setOpen(false);
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  }
  return (
    <form className="card" onSubmit={submit} noValidate aria-labelledby="new-goal-title">
      <h3 id="new-goal-title">{t("goal.new.title")}</h3>
      <div className="form-row">
        <SelectField label={t("goal.domain")} value={form.domain} onChange={set("domain")} options={DOMAINS.map((d) => ({ value: d, label: t(`goal.domain.${d}`) }))} />
        <SelectField
          label={t("goal.provider")}
          value={form.provider}
          onChange={set("provider")}
          options={[{ value: "", label: "—" }, ...providers.map((p) => ({ value: p._id, label: `${p.lastName}, ${p.firstName} (${t(`role.${p.role}`)})` }))]}
        />
      </div>
      <TextAreaField label={t("goal.description")} value={form.description} onChange={set("description")} rows={2} required />
      <div className="form-row">
        <TextField label={t("goal.measurement")} value={form.measurement} onChange={set("measurement")} required />
        <TextField label={t("goal.baselineValue")} inputMode="decimal" value={form.baselineValue} onChange={set("baselineValue")} required />
        <TextField label={t("goal.baselineDate")} type="date" value={form.baselineDate} onChange={set("baselineDate")} required />
        <TextField label={t("goal.targetValue")} inputMode="decimal" value={form.targetValue} onChange={set("targetValue")} required />
        <SelectField label={t("goal.directionLabel")} value={form.direction} onChange={set("direction")} options={(["increase", "decrease"] as const).map((d) => ({ value: d, label: t(`goal.direction.${d}`) }))} />
      </div>
      <div className="form-row">
        <TextField label={t("goal.evaluationMethod")} value={form.evaluationMethod} onChange={set("evaluationMethod")} />
        <TextField label={t("goal.frequency")} value={form.frequency} onChange={set("frequency")} />
        <TextField label={t("goal.conditions")} value={form.conditions} onChange={set("conditions")} />
      </div>
      {error ? <p className="form-error" role="alert">{error}</p> : null}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy || !complete}>
          {busy ? t("app.saving") : t("goal.new")}
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          {t("app.cancel")}
        </button>
      </div>
    </form>
  );
}
