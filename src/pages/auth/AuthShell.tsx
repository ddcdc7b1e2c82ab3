// The frame of the signed-out pages: one card, a heading, the language switcher.
import type { ReactNode } from "react";
import { LanguageSwitcher } from "../../app/LanguageSwitcher";
import { useT } from "../../i18n/I18nProvider";

export function AuthShell({ title, children }: { title: string; children: ReactNode }) {
  const t = useT();
  return (
    <>
      <a className="skip-link" href="#main">
        {t("app.skipToContent")}
      </a>
      <header className="auth-header">
        <span className="brand">{t("app.name")}</span>
        <span className="auth-subtitle">{t("app.fullName")}</span>
        <LanguageSwitcher />
      </header>
      <main id="main" className="auth-main" tabIndex={-1}>
        <div className="auth-card">
          <h1>{title}</h1>
          {children}
        </div>
      </main>
    </>
  );
}
