// Choose a password with a token from an emailed link: used by password reset and by invitations.
import { useState, type FormEvent } from "react";
import { Link, useSearchParams } from "react-router";
import { TextField } from "../../components/Field";
import { useT } from "../../i18n/I18nProvider";
import { MIN_PASSWORD_LENGTH, setNewPassword } from "../../lib/auth/authActions";
import { authErrorText } from "./authErrors";

export function SetPasswordForm({ submitLabel }: { submitLabel: string }) {
  const t = useT();
  const [params] = useSearchParams();
  const token = params.get("token");
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  if (!token) return <p role="alert">{t("auth.reset.missingToken")}</p>;
  if (done) {
    return (
      <p role="status">
        {t("auth.reset.done")} <Link to="/sign-in">{t("auth.signIn.submit")}</Link>
      </p>
    );
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (password.length < MIN_PASSWORD_LENGTH) return setFieldError(t("auth.error.passwordShort", { min: MIN_PASSWORD_LENGTH }));
    if (password !== confirm) return setFieldError(t("auth.error.passwordMismatch"));
    setFieldError(null);
    setBusy(true);
    const result = await setNewPassword(token!, password);
    setBusy(false);
    if (result.ok) setDone(true);
    else setError(authErrorText(t, result.code));
  }

  return (
    <form onSubmit={submit} noValidate>
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
        {submitLabel}
      </button>
    </form>
  );
}
