import { useQuery } from "convex/react";
import { Link } from "react-router";
import { api } from "../../../convex/_generated/api";
import { useCurrentUser } from "../../app/CurrentUser";
import { useT } from "../../i18n/I18nProvider";

export default function StudentHome() {
  const t = useT();
  const user = useCurrentUser();
  const goals = useQuery(api.goals.listForStudent, user.studentId ? { studentId: user.studentId } : "skip");
  return (
    <section className="page">
      <h1>{t("home.student.title")}</h1>
      {goals === undefined && user.studentId ? <p role="status">{t("app.loading")}</p> : null}
      {goals?.length === 0 || !user.studentId ? <p>{t("studentPage.noGoals")}</p> : null}
      <ul>
        {goals?.map((goal) => (
          <li key={goal._id}>
            <Link to={`/goals/${goal._id}`}>{goal.description}</Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
