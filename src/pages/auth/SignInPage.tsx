// Sign-in with email and password, then (if the account has it) the authenticator code.
import { useConvexAuth } from "convex/react";
import { useState, type FormEvent } from "react";
import { Link, Navigate, useSearchParams } from "react-router";
import { TextField } from "../../components/Field";
import { useT } from "../../i18n/I18nProvider";
import { signInWithEmail, verifyTotp } from "../../lib/auth/authActions";
import { AuthShell } from "./AuthShell";
import { authErrorText, EMAIL_PATTERN } from "./authErrors";

function safeNext(next: string | null): string {
  // Only paths inside the app: never an open redirect.
  return next && next.startsWith("/") && !next.startsWith("//") ? next : "/";
}

export default function SignInPage() {
  const t = useT();
  const { isAuthenticated } = useConvexAuth();
  const [params] = useSearchParams();
  const [step, setStep] = useState<"password" | "totp">("password");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [emailError, setEmailError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const next = safeNext(params.get("next"));

  if (isAuthenticated) return <Navigate to={next} replace />;

  async function submitPassword(event: FormEvent) {
    event.preventDefault();
    setError(null);
    if (!EMAIL_PATTERN.test(email.trim())) {
      setEmailError(t("auth.error.emailInvalid"));
      return;
    }
    setEmailError(null);
    setBusy(true);
    const result = await signInWithEmail(email, password);
    setBusy(false);
    if (!result.ok) setError(authErrorText(t, result.code, result.message));
    else if (result.twoFactor) setStep("totp");
    // Otherwise the session arrives through ConvexBetterAuthProvider and isAuthenticated redirects.
  }

  async function submitCode(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    const result = await verifyTotp(code);
    setBusy(false);
    if (!result.ok) setError(authErrorText(t, result.code, result.message));
  }

  if (step === "totp") {
    return (
      <AuthShell title={t("auth.totp.title")}>
        <p>{t("auth.totp.intro")}</p>
        <form onSubmit={submitCode} noValidate>
          <TextField
            label={t("auth.totp.code")}
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9 ]*"
            value={code}
            onChange={(e) => setCode(e.target.value)}
            required
            autoFocus
          />
          {error ? <p className="form-error" role="alert">{error}</p> : null}
          <button type="submit" className="primary wide" disabled={busy}>
            {t("auth.totp.submit")}
          </button>
        </form>
      </AuthShell>
    );
  }

  return (
    <AuthShell title={t("auth.signIn.title")}>
      <p>{t("auth.signIn.intro")}</p>
      <form onSubmit={submitPassword} noValidate>
        <TextField
          label={t("auth.email")}
          type="email"
          autoComplete="username"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={emailError}
          required
        />
        <TextField
          label={t("auth.password")}
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
        />
        {error ? <p className="form-error" role="alert">{error}</p> : null}
        <button type="submit" className="primary wide" disabled={busy}>
          {busy ? t("auth.signIn.working") : t("auth.signIn.submit")}
        </button>
      </form>
      <p className="auth-links">
        <Link to="/forgot-password">{t("auth.forgot.link")}</Link>
      </p>
    </AuthShell>
  );
}
