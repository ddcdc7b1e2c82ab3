// Fast progress entry: keyboard alone (Tab through, Enter records), large targets on a phone.
// After a recording the value and notes clear and focus returns to the value, the date and the
// selections stay, so a series of sessions is typed in quickly.
import { useRef, useState, type FormEvent } from "react";
import { SelectField, TextAreaField, TextField } from "../../components/Field";
import { UnsavedChangesGuard } from "../../components/UnsavedChangesGuard";
import { useI18n } from "../../i18n/I18nProvider";
import type { MessageKey } from "../../i18n/en";

export interface Measurement {
  recordedDate: string;
  measurementValue: number;
  settingType: string;
  independenceLevel: string;
  masteryLevel: "emerging" | "developing" | "proficient" | "mastered";
  observationNotes?: string;
}

const SETTINGS = ["classroom", "resource", "therapy", "community", "home"] as const;
const INDEPENDENCE = ["independent", "prompted", "assisted"] as const;
const MASTERY = ["emerging", "developing", "proficient", "mastered"] as const;

/** Today as YYYY-MM-DD in the browser's time zone (what the person means by "today"). */
export function localToday(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export function DataEntryForm({ unit, onRecord, today = localToday() }: { unit: string; onRecord: (m: Measurement) => Promise<void>; today?: string }) {
  const { t, formatDate, formatNumber } = useI18n();
  const [date, setDate] = useState(today);
  const [value, setValue] = useState("");
  const [setting, setSetting] = useState<string>(SETTINGS[0]);
  const [independence, setIndependence] = useState<string>(INDEPENDENCE[0]);
  const [mastery, setMastery] = useState<Measurement["masteryLevel"]>("developing");
  const [notes, setNotes] = useState("");
  const [errors, setErrors] = useState<{ value?: string; date?: string; form?: string }>({});
  const [busy, setBusy] = useState(false);
  const [announcement, setAnnouncement] = useState("");
  const valueInput = useRef<HTMLInputElement>(null);
  const dirty = value.trim() !== "" || notes.trim() !== "";

  async function submit(event: FormEvent) {
    event.preventDefault();
    const number = Number(value.trim().replace(",", "."));
    const nextErrors: typeof errors = {};
    if (value.trim() === "" || !Number.isFinite(number)) nextErrors.value = t("entry.error.value");
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || date > today) nextErrors.date = t("entry.error.date");
    setErrors(nextErrors);
    if (nextErrors.value) return valueInput.current?.focus();
    if (nextErrors.date) return;
    setBusy(true);
    try {
      await onRecord({
        recordedDate: date,
        measurementValue: number,
        settingType: setting,
        independenceLevel: independence,
        masteryLevel: mastery,
        ...(notes.trim() ? { observationNotes: notes.trim() } : {}),
      });
      setValue("");
      setNotes("");
      setAnnouncement(t("entry.recorded", { value: formatNumber(number), date: formatDate(date) }));
      valueInput.current?.focus();
    } catch (error) {
      setErrors({ form: error instanceof Error ? error.message : String(error) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card data-entry" onSubmit={submit} noValidate aria-labelledby="entry-title">
      <UnsavedChangesGuard dirty={dirty} />
      <h2 id="entry-title">{t("entry.title")}</h2>
      <p className="field-hint">{t("entry.hint")}</p>
      <div className="form-row">
        <TextField
          ref={valueInput}
          label={t("entry.value", { unit })}
          inputMode="decimal"
          autoComplete="off"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          error={errors.value}
          required
          autoFocus
        />
        <TextField label={t("entry.date")} type="date" max={today} value={date} onChange={(e) => setDate(e.target.value)} error={errors.date} required />
      </div>
      <div className="form-row">
        <SelectField label={t("entry.setting")} value={setting} onChange={(e) => setSetting(e.target.value)} options={SETTINGS.map((s) => ({ value: s, label: t(`entry.setting.${s}` as MessageKey) }))} />
        <SelectField label={t("entry.independence")} value={independence} onChange={(e) => setIndependence(e.target.value)} options={INDEPENDENCE.map((s) => ({ value: s, label: t(`entry.independence.${s}` as MessageKey) }))} />
        <SelectField label={t("entry.mastery")} value={mastery} onChange={(e) => setMastery(e.target.value as Measurement["masteryLevel"])} options={MASTERY.map((s) => ({ value: s, label: t(`entry.mastery.${s}` as MessageKey) }))} />
      </div>
      <TextAreaField label={t("entry.notes")} value={notes} onChange={(e) => setNotes(e.target.value)} rows={2} />
      {errors.form ? <p className="form-error" role="alert">{errors.form}</p> : null}
      <button type="submit" className="primary wide" disabled={busy}>
        {busy ? t("app.saving") : t("entry.submit")}
      </button>
      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
    </form>
  );
}
