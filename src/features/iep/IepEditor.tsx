// Editing a draft: every structured section in one form with an explicit Save and the
// unsaved-changes guard (a typed change is never lost silently). Saving a signed draft clears its
// signatures on the server (D11).
import { useMutation } from "convex/react";
import { useState, type FormEvent } from "react";
import { api } from "../../../convex/_generated/api";
import type { Id } from "../../../convex/_generated/dataModel";
import { CheckboxField, TextAreaField, TextField } from "../../components/Field";
import { UnsavedChangesGuard } from "../../components/UnsavedChangesGuard";
import { errorMessage } from "../../components/errors";
import { useToast } from "../../components/Toasts";
import { useI18n } from "../../i18n/I18nProvider";
import type { IepContent } from "./iepDiff";

const SERVICES = ["specialEducation", "speechTherapy", "occupationalTherapy", "physicalTherapy", "counseling"] as const;
type Staff = { _id: Id<"users">; firstName: string; lastName: string };

const lines = (text: string) => text.split("\n").map((l) => l.trim()).filter(Boolean);

export function IepEditor({ iepId, iep, staff, onDone }: { iepId: Id<"ieps">; iep: IepContent; staff: Staff[]; onDone: () => void }) {
  const { t } = useI18n();
  const toast = useToast();
  const updateDraft = useMutation(api.ieps.updateDraft);
  const [draft, setDraft] = useState<IepContent>(() => structuredClone(iep));
  const [goals, setGoals] = useState((iep.transitionPlan?.postSecondaryGoals ?? []).join("\n"));
  const [services, setServices] = useState((iep.transitionPlan?.transitionServices ?? []).join("\n"));
  const [agencies, setAgencies] = useState((iep.transitionPlan?.agencyInvolvement ?? []).join("\n"));
  const [dirty, setDirty] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const change = (next: Partial<IepContent>) => {
    setDraft((d) => ({ ...d, ...next }));
    setDirty(true);
  };
  const text = (setter: (v: string) => void) => (v: string) => {
    setter(v);
    setDirty(true);
  };

  async function save(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const hasPlan = goals.trim() || services.trim() || agencies.trim();
    try {
      await updateDraft({
        iepId,
        effectiveDate: draft.effectiveDate,
        expirationDate: draft.expirationDate,
        meetingDate: draft.meetingDate,
        placement: draft.placement,
        serviceHours: draft.serviceHours,
        accommodations: draft.accommodations,
        modifications: draft.modifications,
        transitionPlan: hasPlan ? { postSecondaryGoals: lines(goals), transitionServices: lines(services), ...(agencies.trim() ? { agencyInvolvement: lines(agencies) } : {}) } : null,
        teamMembers: draft.teamMembers as Id<"users">[],
      });
      setDirty(false);
      toast("success", t("app.saved"));
      onDone();
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  }

  const hours = (key: (typeof SERVICES)[number], value: string) => {
    const h = { ...draft.serviceHours };
    if (value === "" && key !== "specialEducation") delete h[key];
    else h[key] = Number(value);
    change({ serviceHours: h });
  };

  return (
    <form className="card" onSubmit={save} noValidate aria-labelledby="iep-edit-title">
      <UnsavedChangesGuard dirty={dirty} />
      <h2 id="iep-edit-title">
        {t("iep.editing")} {dirty ? <span className="unsaved">· {t("app.unsavedBanner")}</span> : null}
      </h2>
      <div className="form-row">
        <TextField label={t("iep.meetingDate")} type="date" value={draft.meetingDate} onChange={(e) => change({ meetingDate: e.target.value })} required />
        <TextField label={t("iep.effectiveDate")} type="date" value={draft.effectiveDate} onChange={(e) => change({ effectiveDate: e.target.value })} required />
        <TextField label={t("iep.expirationDate")} type="date" value={draft.expirationDate} onChange={(e) => change({ expirationDate: e.target.value })} required />
      </div>
      <TextAreaField label={t("iep.placement")} value={draft.placement} onChange={(e) => change({ placement: e.target.value })} rows={2} />
      <fieldset>
        <legend>{t("iep.serviceHours")}</legend>
        <div className="form-row">
          {SERVICES.map((s) => (
            <TextField key={s} label={t(`iep.service.${s}`)} type="number" min={0} step={0.25} inputMode="decimal" value={draft.serviceHours[s] ?? ""} onChange={(e) => hours(s, e.target.value)} />
          ))}
        </div>
        <ListEditor
          legend={t("iep.service.other")}
          items={draft.serviceHours.other ?? []}
          fields={[
            { key: "service", label: t("iep.service.name") },
            { key: "hours", label: t("iep.service.hours"), type: "number" },
          ]}
          blank={{ service: "", hours: 0 }}
          onChange={(other) => change({ serviceHours: { ...draft.serviceHours, other: other.map((o) => ({ service: String(o.service), hours: Number(o.hours) })) } })}
        />
      </fieldset>
      <ListEditor
        legend={t("iep.accommodations")}
        items={draft.accommodations}
        fields={[
          { key: "category", label: t("iep.accommodation.category") },
          { key: "description", label: t("iep.accommodation.description") },
          { key: "setting", label: t("iep.accommodation.setting") },
        ]}
        blank={{ category: "", description: "", setting: "" }}
        onChange={(accommodations) => change({ accommodations })}
      />
      <ListEditor
        legend={t("iep.modifications")}
        items={draft.modifications}
        fields={[
          { key: "subject", label: t("iep.modification.subject") },
          { key: "description", label: t("iep.modification.description") },
          { key: "criteria", label: t("iep.modification.criteria") },
        ]}
        blank={{ subject: "", description: "", criteria: "" }}
        onChange={(modifications) => change({ modifications })}
      />
      <fieldset>
        <legend>{t("iep.transitionPlan")}</legend>
        <TextAreaField label={t("iep.transition.postSecondaryGoals")} value={goals} onChange={(e) => text(setGoals)(e.target.value)} rows={3} />
        <TextAreaField label={t("iep.transition.services")} value={services} onChange={(e) => text(setServices)(e.target.value)} rows={3} />
        <TextAreaField label={t("iep.transition.agencies")} value={agencies} onChange={(e) => text(setAgencies)(e.target.value)} rows={2} />
      </fieldset>
      <fieldset>
        <legend>{t("iep.team")}</legend>
        {staff.map((member) => (
          <CheckboxField
            key={member._id}
            label={`${member.lastName}, ${member.firstName}`}
            checked={draft.teamMembers.includes(member._id)}
            onChange={(e) => change({ teamMembers: e.target.checked ? [...draft.teamMembers, member._id] : draft.teamMembers.filter((id) => id !== member._id) })}
          />
        ))}
      </fieldset>
      {error ? <p className="form-error" role="alert">{error}</p> : null}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy || !dirty}>
          {busy ? t("app.saving") : t("app.save")}
        </button>
        <button type="button" onClick={onDone}>
          {t("app.cancel")}
        </button>
      </div>
    </form>
  );
}

type Row = Record<string, string | number>;

function ListEditor<T extends Row>({ legend, items, fields, blank, onChange }: { legend: string; items: T[]; fields: { key: keyof T & string; label: string; type?: string }[]; blank: T; onChange: (items: T[]) => void }) {
  const { t } = useI18n();
  return (
    <fieldset>
      <legend>{legend}</legend>
      {items.map((item, index) => (
        <div className="form-row" key={index} role="group" aria-label={`${legend} ${index + 1}`}>
          {fields.map((field) => (
            <TextField
              key={field.key}
              label={field.label}
              type={field.type ?? "text"}
              value={item[field.key]}
              onChange={(e) => onChange(items.map((it, i) => (i === index ? { ...it, [field.key]: field.type === "number" ? Number(e.target.value) : e.target.value } : it)))}
            />
          ))}
          <button type="button" onClick={() => onChange(items.filter((_, i) => i !== index))} aria-label={`${t("app.remove")}: ${legend} ${index + 1}`} style={{ marginTop: 28 }}>
            {t("app.remove")}
          </button>
        </div>
      ))}
      <button type="button" onClick={() => onChange([...items, { ...blank }])}>
        {t("app.add")}: {legend}
      </button>
    </fieldset>
  );
}
