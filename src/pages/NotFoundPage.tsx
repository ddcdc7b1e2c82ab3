import { Link } from "react-router";
import { useT } from "../i18n/I18nProvider";

export default function NotFoundPage() {
  const t = useT();
  return (
    <section className="page">
      <h1>{t("app.notFound")}</h1>
      <p>
        <Link to="/">{t("app.backHome")}</Link>
      </p>
    </section>
  );
}
