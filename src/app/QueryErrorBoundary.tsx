// A failed query (FORBIDDEN, NOT_FOUND…) throws during render; show its message, not a blank page.
import { ConvexError } from "convex/values";
import { Component, type ReactNode } from "react";
import { errorMessage } from "../components/errors";
import { useT } from "../i18n/I18nProvider";

/** The stable code of a SEMS refusal (convex/lib/errors.ts), if the error is one. */
function errorCode(error: unknown): string | undefined {
  if (!(error instanceof ConvexError)) return undefined;
  const data = error.data as { code?: unknown } | null;
  return typeof data?.code === "string" ? data.code : undefined;
}

function ErrorPanel({ error }: { error: unknown }) {
  const t = useT();
  const code = errorCode(error);
  // A refusal is said in the reader's language (the server's message is English); other errors
  // show the server's message, which is all there is to go on.
  return (
    <div className="error-panel" role="alert">
      <h1>{code === "NOT_FOUND" ? t("app.notFound") : t("app.forbidden")}</h1>
      <p>{code === "FORBIDDEN" ? t("app.forbiddenDetail") : t("app.error", { message: errorMessage(error) })}</p>
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
