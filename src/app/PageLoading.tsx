import { useT } from "../i18n/I18nProvider";

export function PageLoading() {
  const t = useT();
  return (
    <p className="loading" role="status">
      {t("app.loading")}
    </p>
  );
}
