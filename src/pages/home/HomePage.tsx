// The home page for the caller's role: caseload (teacher, specialist), organization dashboard
// (admin), children (parent), own goals (student).
import { lazy } from "react";
import { useCurrentUser } from "../../app/CurrentUser";

const CaseloadHome = lazy(() => import("./CaseloadHome"));
const AdminHome = lazy(() => import("./AdminHome"));
const ParentHome = lazy(() => import("./ParentHome"));
const StudentHome = lazy(() => import("./StudentHome"));

export default function HomePage() {
  const user = useCurrentUser();
  switch (user.role) {
    case "admin":
      return <AdminHome />;
    case "parent":
      return <ParentHome />;
    case "student":
      return <StudentHome />;
    default:
      return <CaseloadHome />;
  }
}
