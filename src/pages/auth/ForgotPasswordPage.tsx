import { useState, type FormEvent } from "react";
import { Link } from "react-router";
import { TextField } from "../../components/Field";
import { useT } from "../../i18n/I18nProvider";
import { requestPasswordReset } from "../../lib/auth/authActions";
import { AuthShell } from "./AuthShell";
import { authErrorText, EMAIL_PATTERN } from "./authErrors";

export default function ForgotPasswordPage() {
  const t = useT();
  const [email, setEmail] = useState("");
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!EMAIL_PATTERN.test(email.trim())) {
      setError(t("auth.error.emailInvalid"));
      return;
    }
    setBusy(true);
    const result = await requestPasswordReset(email);
    setBusy(false);
    // The same answer whether or not the account exists: no account discovery.
    if (result.ok || result.code !== "NETWORK") setSent(true);
    else setError(authErrorText(t, result.code));
  }

  return (
    <AuthShell title={t("auth.forgot.title")}>
      {sent ? (
        <p role="status">{t("auth.forgot.sent")}</p>
      ) : (
        <>
          <p>{t("auth.forgot.intro")}</p>
          <form onSubmit={submit} noValidate>
            <TextField label={t("auth.email")} type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} error={error} required />
            <button type="submit" className="primary wide" disabled={busy}>
              {t("auth.forgot.submit")}
            </button>
          </form>
        </>
      )}
      <p className="auth-links">
        <Link to="/sign-in">{t("auth.backToSignIn")}</Link>
      </p>
    </AuthShell>
  );
}
