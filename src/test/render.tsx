// Renders a component the way the app does (language, toasts) inside an in-memory data router,
// which the unsaved-changes guard needs.
import { render } from "@testing-library/react";
import type { ReactNode } from "react";
import { createMemoryRouter, RouterProvider, type RouteObject } from "react-router";
import { ToastProvider } from "../components/Toasts";
import { I18nProvider, type Language } from "../i18n/I18nProvider";

export function renderWithApp(routes: RouteObject[], { path = "/", language = "en" }: { path?: string; language?: Language } = {}) {
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  const result = render(
    <I18nProvider language={language}>
      <ToastProvider>
        <RouterProvider router={router} />
      </ToastProvider>
    </I18nProvider>,
  );
  return { ...result, router };
}

export function renderPlain(ui: ReactNode, language: Language = "en") {
  return renderWithApp([{ path: "/", element: ui }], { language });
}
