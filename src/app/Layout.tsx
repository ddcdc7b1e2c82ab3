// The page frame: skip link, banner with the language switcher and sign-out, navigation for the
// role, and the <main> landmark each page fills with its own <h1>.
import type { ReactNode } from "react";
import { NavLink } from "react-router";
import { signOut } from "../lib/auth/authActions";
import { useT } from "../i18n/I18nProvider";
import type { MessageKey } from "../i18n/en";
import { isStaff, useCurrentUser } from "./CurrentUser";
import { LanguageSwitcher } from "./LanguageSwitcher";

export function Layout({ children }: { children: ReactNode }) {
  const t = useT();
  const user = useCurrentUser();
  const links: { to: string; label: MessageKey }[] = [{ to: "/", label: user.role === "parent" ? "nav.children" : "nav.home" }];
  if (isStaff(user)) links.push({ to: "/students", label: "nav.students" });
  if (user.role === "admin") {
    links.push({ to: "/admin/users", label: "nav.admin.users" }, { to: "/admin/organization", label: "nav.admin.organization" }, { to: "/admin/mailbox", label: "nav.admin.mailbox" });
  }
  links.push({ to: "/settings", label: "nav.settings" });
  return (
    <>
      <a className="skip-link" href="#main">
        {t("app.skipToContent")}
      </a>
      <header className="banner">
        <div className="banner-inner">
          <a className="brand" href="/">
            {t("app.name")}
            <span className="visually-hidden"> — {t("app.fullName")}</span>
          </a>
          <nav aria-label={t("nav.main")}>
            <ul>
              {links.map((link) => (
                <li key={link.to}>
                  <NavLink to={link.to} end={link.to === "/"}>
                    {t(link.label)}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
          <div className="banner-tools">
            <span className="who">
              {t("app.signedInAs", { name: `${user.firstName} ${user.lastName}` })} · {t(`role.${user.role}`)}
            </span>
            <LanguageSwitcher />
            <button type="button" className="link-button" onClick={() => void signOut()}>
              {t("app.signOut")}
            </button>
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
