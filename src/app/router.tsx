// Routes. Every page is its own chunk (lazy()), loaded when first visited; the signed-in pages sit
// under SignedInArea, which checks the session and provides the user.
import { lazy, Suspense, type ComponentType } from "react";
import { createBrowserRouter, type RouteObject } from "react-router";
import { PageLoading } from "./PageLoading";
import { SignedInArea } from "./SignedInArea";

function page(load: () => Promise<{ default: ComponentType }>) {
  const Page = lazy(load);
  return (
    <Suspense fallback={<PageLoading />}>
      <Page />
    </Suspense>
  );
}

export const routes: RouteObject[] = [
  { path: "/sign-in", element: page(() => import("../pages/auth/SignInPage")) },
  { path: "/forgot-password", element: page(() => import("../pages/auth/ForgotPasswordPage")) },
  { path: "/reset-password", element: page(() => import("../pages/auth/ResetPasswordPage")) },
  { path: "/accept-invite", element: page(() => import("../pages/auth/AcceptInvitationPage")) },
  {
    path: "/",
    element: <SignedInArea />,
    children: [
      { index: true, element: page(() => import("../pages/home/HomePage")) },
      { path: "students", element: page(() => import("../pages/students/StudentsPage")) },
      { path: "students/:studentId", element: page(() => import("../pages/student/StudentPage")) },
      { path: "goals/:goalId", element: page(() => import("../pages/goal/GoalPage")) },
      { path: "ieps/:iepId", element: page(() => import("../pages/iep/IepPage")) },
      { path: "admin/users", element: page(() => import("../pages/admin/UsersPage")) },
      { path: "admin/organization", element: page(() => import("../pages/admin/OrganizationPage")) },
      { path: "admin/mailbox", element: page(() => import("../pages/admin/MailboxPage")) },
      { path: "settings", element: page(() => import("../pages/settings/SettingsPage")) },
      { path: "*", element: page(() => import("../pages/NotFoundPage")) },
    ],
  },
];

export function createRouter() {
  return createBrowserRouter(routes);
}
