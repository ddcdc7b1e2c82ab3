// Admins hand a student to another case manager (students.transferCaseManager): a teacher or a
// specialist of the organization. The team table above updates live.
import { useMutation, useQuery } from "convex/react";
import { useState, type FormEvent } from "react";
import { api } from "../../../convex/_generated/api";
import type { Id } from "../../../convex/_generated/dataModel";
import { useCurrentUser } from "../../app/CurrentUser";
import { SelectField } from "../../components/Field";
import { errorMessage } from "../../components/errors";
import { useToast } from "../../components/Toasts";
import { useI18n } from "../../i18n/I18nProvider";

export function ChangeCaseManager({ studentId, currentId }: { studentId: Id<"students">; currentId: Id<"users"> }) {
  const { t } = useI18n();
  const toast = useToast();
  const user = useCurrentUser();
  const staff = useQuery(api.users.getUsersByOrganization, { organizationId: user.organizationId });
  const transfer = useMutation(api.students.transferCaseManager);
  const [choice, setChoice] = useState("");
  const [error, setError] = useState<string | null>(null);
  const candidates = (staff ?? [])
    .filter((u) => u.isActive && (u.role === "teacher" || u.role === "specialist") && u._id !== currentId)
    .sort((a, b) => `${a.lastName} ${a.firstName}`.localeCompare(`${b.lastName} ${b.firstName}`));
  async function submit(event: FormEvent) {
    event.preventDefault();
    const next = candidates.find((u) => u._id === choice);
    if (!next) return;
    setError(null);
    try {
      await transfer({ studentId, caseManagerId: next._id });
      toast("success", t("team.caseManagerChanged", { name: `${next.firstName} ${next.lastName}` }));
      setChoice("");
    } catch (caught) {
      setError(errorMessage(caught));
    }
  }
  return (
    <form className="card" onSubmit={submit} noValidate aria-labelledby="change-case-manager-title">
      <h3 id="change-case-manager-title">{t("team.changeCaseManager")}</h3>
      <SelectField
        label={t("team.newCaseManager")}
        value={choice}
        onChange={(e) => setChoice(e.target.value)}
        error={error}
        options={[{ value: "", label: "—" }, ...candidates.map((u) => ({ value: u._id, label: `${u.lastName}, ${u.firstName} (${t(`role.${u.role}`)})` }))]}
      />
      <button type="submit" className="primary" disabled={!choice}>
        {t("team.changeCaseManager")}
      </button>
    </form>
  );
}
