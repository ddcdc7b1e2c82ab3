// The user's own preferences: language (saved in users.preferences.language and applied at once)
// and notifications.
import { useMutation } from "convex/react";
import { api } from "../../../convex/_generated/api";
import { useCurrentUser } from "../../app/CurrentUser";
import { CheckboxField, SelectField } from "../../components/Field";
import { errorMessage } from "../../components/errors";
import { useToast } from "../../components/Toasts";
import { LANGUAGES, isLanguage, useI18n } from "../../i18n/I18nProvider";

export default function SettingsPage() {
  const { t, language, setLanguage } = useI18n();
  const user = useCurrentUser();
  const toast = useToast();
  const updatePreferences = useMutation(api.users.updatePreferences);
  const preferences = user.preferences ?? { notifications: true, theme: "light", language };
  const save = async (next: typeof preferences, message: string) => {
    try {
      await updatePreferences({ preferences: next });
      toast("success", message);
    } catch (error) {
      toast("error", errorMessage(error));
    }
  };
  return (
    <section className="page">
      <h1>{t("settings.title")}</h1>
      <div className="card">
        <SelectField
          label={t("app.language")}
          value={language}
          onChange={(e) => {
            const next = e.target.value;
            if (!isLanguage(next)) return;
            setLanguage(next);
            void save({ ...preferences, language: next }, t("settings.languageSaved"));
          }}
          options={LANGUAGES.map((code) => ({ value: code, label: t(`app.language.${code}`) }))}
        />
        <CheckboxField label={t("settings.notifications")} checked={preferences.notifications} onChange={(e) => void save({ ...preferences, notifications: e.target.checked }, t("app.saved"))} />
      </div>
    </section>
  );
}
