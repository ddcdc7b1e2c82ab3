// A failed query (FORBIDDEN, NOT_FOUND…) throws during render; show its message, not a blank page.
import { Component, type ReactNode } from "react";
import { errorMessage } from "../components/errors";
import { useT } from "../i18n/I18nProvider";

function ErrorPanel({ error }: { error: unknown }) {
  const t = useT();
  return (
    <div className="error-panel" role="alert">
      <h1>{t("app.forbidden")}</h1>
      <p>{t("app.error", { message: errorMessage(error) })}</p>
      <p>
        <a href="/">{t("app.backHome")}</a>
      </p>
    </div>
  );
}

export class QueryErrorBoundary extends Component<{ children: ReactNode }, { error: unknown }> {
  state: { error: unknown } = { error: null };
  static getDerivedStateFromError(error: unknown) {
    return { error };
  }
  render() {
    return this.state.error ? <ErrorPanel error={this.state.error} /> : this.props.children;
  }
}
