// Administration of accounts: the organization's users (a page at a time, by role), inviting a
// new user (users.provisionUser sends the invitation), role changes, deactivation and
// reactivation, and open invitations (resend, withdraw).
import { useMutation, usePaginatedQuery, useQuery } from "convex/react";
import { useState, type FormEvent } from "react";
import { api } from "../../../convex/_generated/api";
import type { Doc } from "../../../convex/_generated/dataModel";
import { useCurrentUser } from "../../app/CurrentUser";
import { DataTable } from "../../components/DataTable";
import { SelectField, TextField } from "../../components/Field";
import { UnsavedChangesGuard } from "../../components/UnsavedChangesGuard";
import { errorMessage } from "../../components/errors";
import { useToast } from "../../components/Toasts";
import { useI18n } from "../../i18n/I18nProvider";

const ROLES = ["admin", "teacher", "specialist", "parent", "student"] as const;
type Role = (typeof ROLES)[number];

export default function UsersPage() {
  const { t, formatDateTime } = useI18n();
  const me = useCurrentUser();
  const toast = useToast();
  const [role, setRole] = useState<Role | "">("");
  const { results, status, loadMore } = usePaginatedQuery(api.users.list, role ? { role } : {}, { initialNumItems: 50 });
  const changeRole = useMutation(api.users.changeRole);
  const setActive = useMutation(api.users.setActive);
  const run = async (action: () => Promise<unknown>, done: string) => {
    try {
      await action();
      toast("success", done);
    } catch (error) {
      toast("error", errorMessage(error));
    }
  };
  const fullName = (u: Doc<"users">) => `${u.firstName} ${u.lastName}`;
  return (
    <section className="page">
      <h1>{t("admin.users.title")}</h1>
      <InviteForm />
      <Invitations />
      <h2>{t("admin.users.title")}</h2>
      <SelectField label={t("admin.users.filterRole")} value={role} onChange={(e) => setRole(e.target.value as Role | "")} options={[{ value: "", label: t("students.filter.any") }, ...ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))]} />
      <DataTable
        caption={t("admin.users.title")}
        captionHidden
        rows={results}
        rowKey={(u) => u._id}
        empty={status === "LoadingFirstPage" ? t("app.loading") : t("app.none")}
        columns={[
          { key: "name", header: t("student.name"), rowHeader: true, cell: (u) => `${u.lastName}, ${u.firstName}` },
          { key: "email", header: t("admin.users.email"), cell: (u) => u.email },
          {
            key: "role",
            header: t("admin.users.role"),
            cell: (u) => (
              <label>
                <span className="visually-hidden">{t("admin.users.changeRole", { name: fullName(u) })}</span>
                <select
                  value={u.role}
                  disabled={u._id === me._id}
                  onChange={(e) => run(() => changeRole({ userId: u._id, role: e.target.value as Role }), t("admin.users.roleChanged", { name: fullName(u), role: t(`role.${e.target.value as Role}`) }))}
                >
                  {ROLES.map((r) => (
                    <option key={r} value={r}>
                      {t(`role.${r}`)}
                    </option>
                  ))}
                </select>
              </label>
            ),
          },
          { key: "status", header: t("admin.users.status"), cell: (u) => (u.isActive ? t("admin.users.active") : t("admin.users.inactive")) },
          { key: "login", header: t("admin.users.lastLogin"), cell: (u) => (u.lastLogin ? formatDateTime(u.lastLogin) : "—") },
          {
            key: "actions",
            header: t("admin.users.actions"),
            cell: (u) =>
              u._id === me._id ? null : (
                <button
                  type="button"
                  className="compact"
                  onClick={() => run(() => setActive({ userId: u._id, isActive: !u.isActive }), t("admin.users.statusChanged", { name: fullName(u), status: u.isActive ? t("admin.users.inactive") : t("admin.users.active") }))}
                >
                  {/* Short visible verb; the person's name is in the accessible name. */}
                  {u.isActive ? t("admin.users.deactivateShort") : t("admin.users.reactivateShort")}
                  <span className="visually-hidden"> {fullName(u)}</span>
                </button>
              ),
          },
        ]}
      />
      {status === "CanLoadMore" ? (
        <div className="actions">
          <button type="button" onClick={() => loadMore(50)}>
            {t("app.loadMore")}
          </button>
        </div>
      ) : null}
    </section>
  );
}

function InviteForm() {
  const { t } = useI18n();
  const toast = useToast();
  const provision = useMutation(api.users.provisionUser);
  const [form, setForm] = useState({ email: "", firstName: "", lastName: "", role: "teacher" as Role });
  const [error, setError] = useState<string | null>(null);
  const dirty = Boolean(form.email || form.firstName || form.lastName);
  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      await provision({ email: form.email.trim().toLowerCase(), firstName: form.firstName.trim(), lastName: form.lastName.trim(), role: form.role });
      toast("success", t("admin.users.invited", { email: form.email }));
      setForm({ email: "", firstName: "", lastName: "", role: form.role });
    } catch (caught) {
      setError(errorMessage(caught));
    }
  }
  return (
    <form className="card" onSubmit={submit} noValidate>
      <UnsavedChangesGuard dirty={dirty} />
      <h2>{t("admin.users.invite")}</h2>
      <div className="form-row">
        <TextField label={t("admin.users.firstName")} value={form.firstName} onChange={(e) => setForm({ ...form, firstName: e.target.value })} autoComplete="off" required />
        <TextField label={t("admin.users.lastName")} value={form.lastName} onChange={(e) => setForm({ ...form, lastName: e.target.value })} autoComplete="off" required />
        <TextField label={t("admin.users.email")} type="email" value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} autoComplete="off" required />
        <SelectField label={t("admin.users.role")} value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })} options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))} />
      </div>
      {error ? <p className="form-error" role="alert">{error}</p> : null}
      <button type="submit" className="primary" disabled={!form.email || !form.firstName || !form.lastName}>
        {t("admin.users.invite")}
      </button>
    </form>
  );
}

function Invitations() {
  const { t, formatDateTime } = useI18n();
  const toast = useToast();
  const open = useQuery(api.invitations.listOpen);
  const resend = useMutation(api.invitations.resend);
  const revoke = useMutation(api.invitations.revoke);
  const run = async (action: () => Promise<unknown>, done: string) => {
    try {
      await action();
      toast("success", done);
    } catch (error) {
      toast("error", errorMessage(error));
    }
  };
  return (
    <DataTable
      caption={t("admin.users.invitations")}
      rows={open ?? []}
      rowKey={(i) => i._id}
      empty={open === undefined ? t("app.loading") : t("admin.users.noInvitations")}
      columns={[
        { key: "email", header: t("admin.users.email"), rowHeader: true, cell: (i) => i.email },
        { key: "sent", header: t("admin.users.sent"), cell: (i) => formatDateTime(i.sentAt) },
        { key: "expires", header: t("admin.users.expires"), cell: (i) => `${formatDateTime(i.expiresAt)}${i.state === "expired" ? ` (${t("auth.invite.state.expired").split(".")[0]})` : ""}` },
        {
          key: "actions",
          header: t("admin.users.actions"),
          cell: (i) => (
            <div className="actions" style={{ marginTop: 0 }}>
              <button type="button" onClick={() => run(() => resend({ userId: i.userId }), t("admin.users.resent", { email: i.email }))}>
                {t("admin.users.resend", { email: i.email })}
              </button>
              <button type="button" onClick={() => run(() => revoke({ userId: i.userId }), t("admin.users.revoked", { email: i.email }))}>
                {t("admin.users.revoke", { email: i.email })}
              </button>
            </div>
          ),
        },
      ]}
    />
  );
}
