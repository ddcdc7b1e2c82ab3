// Staff start a new IEP draft (ieps.createIEP): meeting, effective and expiration dates, placement
// and weekly special-education hours; the rest is written in the draft's editor. The IEP in
// effect stays active until the draft is signed (D9, D10).
import { useMutation } from "convex/react";
import { useState, type FormEvent } from "react";
import { useNavigate } from "react-router";
import { api } from "../../../convex/_generated/api";
import type { Id } from "../../../convex/_generated/dataModel";
import { TextAreaField, TextField } from "../../components/Field";
import { errorMessage } from "../../components/errors";
import { useToast } from "../../components/Toasts";
import { useI18n } from "../../i18n/I18nProvider";
import { addDaysIso, localIsoDate } from "./isoDates";

export function NewIepForm({ studentId }: { studentId: Id<"students"> }) {
  const { t } = useI18n();
  const toast = useToast();
  const navigate = useNavigate();
  const createIep = useMutation(api.ieps.createIEP);
  const [open, setOpen] = useState(false);
  const today = localIsoDate();
  const [form, setForm] = useState({ meetingDate: today, effectiveDate: today, expirationDate: addDaysIso(today, 364), placement: "", hours: "5" });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!open) {
    return (
      <div className="actions">
        <button type="button" onClick={() => setOpen(true)}>
          {t("iep.new")}
        </button>
      </div>
    );
  }
  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const iepId = await createIep({
        studentId,
        meetingDate: form.meetingDate,
        effectiveDate: form.effectiveDate,
        expirationDate: form.expirationDate,
        placement: form.placement.trim(),
        serviceHours: { specialEducation: Number(form.hours) || 0 },
      });
      toast("success", t("iep.new.created"));
      navigate(`/ieps/${iepId}`);
    } catch (caught) {
      setError(errorMessage(caught));
      setBusy(false);
    }
  }
  const set = (key: keyof typeof form) => (event: { target: { value: string } }) => setForm({ ...form, [key]: event.target.value });
  return (
    <form className="card" onSubmit={submit} noValidate aria-labelledby="new-iep-title">
      <h3 id="new-iep-title">{t("iep.new.title")}</h3>
      <p className="field-hint">{t("iep.new.intro")}</p>
      <div className="form-row">
        <TextField label={t("iep.meetingDate")} type="date" value={form.meetingDate} onChange={set("meetingDate")} required />
        <TextField label={t("iep.effectiveDate")} type="date" value={form.effectiveDate} onChange={set("effectiveDate")} required />
        <TextField label={t("iep.expirationDate")} type="date" value={form.expirationDate} onChange={set("expirationDate")} required />
        <TextField label={t("iep.service.specialEducation")} hint={t("iep.serviceHours")} type="number" min={0} step={0.25} inputMode="decimal" value={form.hours} onChange={set("hours")} />
      </div>
      <TextAreaField label={t("iep.placement")} value={form.placement} onChange={set("placement")} rows={2} />
      {error ? <p className="form-error" role="alert">{error}</p> : null}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t("app.saving") : t("iep.new.create")}
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          {t("app.cancel")}
        </button>
      </div>
    </form>
  );
}
