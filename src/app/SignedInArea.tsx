// The gate of every signed-in page: waits for the Convex auth token, sends anonymous visitors to
// /sign-in, loads the SEMS user, adopts their saved language and renders the layout.
import { useConvexAuth, useQuery } from "convex/react";
import { Suspense, useEffect } from "react";
import { Navigate, Outlet, useLocation } from "react-router";
import { api } from "../../convex/_generated/api";
import { isLanguage, useI18n } from "../i18n/I18nProvider";
import { CurrentUserContext } from "./CurrentUser";
import { Layout } from "./Layout";
import { PageLoading } from "./PageLoading";
import { QueryErrorBoundary } from "./QueryErrorBoundary";

export function SignedInArea() {
  const { isLoading, isAuthenticated } = useConvexAuth();
  const location = useLocation();
  if (isLoading) return <PageLoading />;
  if (!isAuthenticated) return <Navigate to={`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  return (
    <QueryErrorBoundary>
      <LoadUser />
    </QueryErrorBoundary>
  );
}

function LoadUser() {
  const user = useQuery(api.users.getCurrentUser);
  const { t, language, setLanguage } = useI18n();
  const { pathname } = useLocation();
  const saved = user?.preferences?.language;
  useEffect(() => {
    if (isLanguage(saved) && saved !== language) setLanguage(saved);
    // Only when the saved preference changes (another device, the settings page).
  }, [saved]);
  if (user === undefined) return <PageLoading />;
  if (user === null) {
    return (
      <main id="main" className="narrow">
        <h1>{t("app.name")}</h1>
        <p role="alert">{t("auth.noAccount")}</p>
      </main>
    );
  }
  return (
    <CurrentUserContext.Provider value={user}>
      <Layout>
        {/* Keyed by the path: a refused page's error must not stay on screen after navigating away. */}
        <QueryErrorBoundary key={pathname}>
          <Suspense fallback={<PageLoading />}>
            <Outlet />
          </Suspense>
        </QueryErrorBoundary>
      </Layout>
    </CurrentUserContext.Provider>
  );
}
