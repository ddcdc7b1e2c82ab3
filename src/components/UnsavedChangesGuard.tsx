// A form never loses typed work silently: while `dirty`, leaving through the app's links asks
// first (react-router's blocker), and closing or reloading the tab gets the browser's warning.
import { useEffect } from "react";
import { useBlocker } from "react-router";
import { useT } from "../i18n/I18nProvider";
import { Dialog } from "./Dialog";

export function UnsavedChangesGuard({ dirty }: { dirty: boolean }) {
  const t = useT();
  const blocker = useBlocker(({ currentLocation, nextLocation }) => dirty && currentLocation.pathname !== nextLocation.pathname);
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Older browsers need a returnValue to show the prompt.
      event.returnValue = "";
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);
  if (blocker.state !== "blocked") return null;
  return (
    <Dialog title={t("app.unsavedBanner")} onClose={() => blocker.reset()}>
      <p>{t("app.unsavedWarning")}</p>
      <div className="actions">
        <button type="button" className="primary" onClick={() => blocker.reset()}>
          {t("app.stayOnPage")}
        </button>
        <button type="button" className="danger" onClick={() => blocker.proceed()}>
          {t("app.leavePage")}
        </button>
      </div>
    </Dialog>
  );
}
