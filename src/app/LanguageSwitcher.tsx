// Chooses the interface language; signed in, the choice is saved in users.preferences.language.
import { useContext } from "react";
import { useMutation } from "convex/react";
import { api } from "../../convex/_generated/api";
import { LANGUAGES, isLanguage, useI18n } from "../i18n/I18nProvider";
import { CurrentUserContext } from "./CurrentUser";

export function LanguageSwitcher() {
  const { t, language, setLanguage } = useI18n();
  const user = useContext(CurrentUserContext);
  const updatePreferences = useMutation(api.users.updatePreferences);
  return (
    <label className="language-switcher">
      <span className="visually-hidden">{t("app.language")}</span>
      <select
        value={language}
        onChange={(event) => {
          const next = event.target.value;
          if (!isLanguage(next)) return;
          setLanguage(next);
          if (user) {
            const current = user.preferences ?? { notifications: true, theme: "light", language: next };
            void updatePreferences({ preferences: { ...current, language: next } });
          }
        }}
      >
        {LANGUAGES.map((code) => (
          <option key={code} value={code} lang={code}>
            {t(`app.language.${code}`)}
          </option>
        ))}
      </select>
    </label>
  );
}
