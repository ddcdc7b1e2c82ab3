import { Link } from "react-router";
import { useT } from "../../i18n/I18nProvider";
import { AuthShell } from "./AuthShell";
import { SetPasswordForm } from "./SetPasswordForm";

export default function ResetPasswordPage() {
  const t = useT();
  return (
    <AuthShell title={t("auth.reset.title")}>
      <SetPasswordForm submitLabel={t("auth.reset.submit")} />
      <p className="auth-links">
        <Link to="/sign-in">{t("auth.backToSignIn")}</Link>
      </p>
    </AuthShell>
  );
}
