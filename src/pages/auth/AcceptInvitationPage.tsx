// /accept-invite?token=…: the invitee sees whose account it is (invitations.describe, anonymous)
// and chooses a password; the sign-up carries the token and signs them in.
import { useConvexAuth, useQuery } from "convex/react";
import { useState, type FormEvent } from "react";
import { Link, Navigate, useSearchParams } from "react-router";
import { api } from "../../../convex/_generated/api";
import { TextField } from "../../components/Field";
import { useI18n } from "../../i18n/I18nProvider";
import { acceptInvitation, MIN_PASSWORD_LENGTH } from "../../lib/auth/authActions";
import { AuthShell } from "./AuthShell";
import { authErrorText } from "./authErrors";

export default function AcceptInvitationPage() {
  const { t, formatDateTime } = useI18n();
  const { isAuthenticated } = useConvexAuth();
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const invitation = useQuery(api.invitations.describe, token ? { token } : "skip");
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (isAuthenticated) return <Navigate to="/" replace />;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!invitation) return;
    if (password.length < MIN_PASSWORD_LENGTH) return setFieldError(t("auth.error.passwordShort", { min: MIN_PASSWORD_LENGTH }));
    if (password !== confirm) return setFieldError(t("auth.error.passwordMismatch"));
    setFieldError(null);
    setBusy(true);
    const result = await acceptInvitation({ token, email: invitation.email, name: `${invitation.firstName} ${invitation.lastName}`, password });
    setBusy(false);
    if (!result.ok) setError(authErrorText(t, result.code, result.message));
  }

  let body;
  if (!token || invitation === null) body = <p role="alert">{t("auth.invite.invalid")}</p>;
  else if (invitation === undefined) body = <p role="status">{t("app.loading")}</p>;
  else if (invitation.state !== "pending") body = <p role="alert">{t(`auth.invite.state.${invitation.state}`)}</p>;
  else
    body = (
      <>
        <p>{t("auth.invite.for", { name: `${invitation.firstName} ${invitation.lastName}`, email: invitation.email, organization: invitation.organizationName })}</p>
        <p className="field-hint">{t("auth.invite.expires", { when: formatDateTime(invitation.expiresAt) })}</p>
        <p>{t("auth.invite.intro")}</p>
        <form onSubmit={submit} noValidate>
          <TextField label={t("auth.email")} type="email" autoComplete="username" value={invitation.email} readOnly />
          <TextField
            label={t("auth.newPassword")}
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            hint={t("auth.error.passwordShort", { min: MIN_PASSWORD_LENGTH })}
            required
          />
          <TextField label={t("auth.confirmPassword")} type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} error={fieldError} required />
          {error ? <p className="form-error" role="alert">{error}</p> : null}
          <button type="submit" className="primary wide" disabled={busy}>
            {t("auth.invite.submit")}
          </button>
        </form>
      </>
    );
  return (
    <AuthShell title={t("auth.invite.title")}>
      {body}
      <p className="auth-links">
        <Link to="/sign-in">{t("auth.backToSignIn")}</Link>
      </p>
    </AuthShell>
  );
}
