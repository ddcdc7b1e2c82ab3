// The parent portal's home: each child with their IEP status and, when an IEP waits for the
// parent's signature, a link straight to it.
import { useQuery } from "convex/react";
import { Link } from "react-router";
import { api } from "../../../convex/_generated/api";
import type { Id } from "../../../convex/_generated/dataModel";
import { useCurrentUser } from "../../app/CurrentUser";
import { useT } from "../../i18n/I18nProvider";
import type { MessageKey } from "../../i18n/en";

export default function ParentHome() {
  const t = useT();
  const children = useQuery(api.students.getStudentsByUser);
  return (
    <section className="page">
      <h1>{t("home.parent.title")}</h1>
      {children === undefined ? <p role="status">{t("app.loading")}</p> : null}
      {children?.length === 0 ? <p>{t("home.parent.empty")}</p> : null}
      <div className="grid-2">
        {children?.map((child) => (
          <article key={child._id} className="card">
            <h2>
              <Link to={`/students/${child._id}`}>{`${child.firstName} ${child.lastName}`}</Link>
            </h2>
            <dl className="facts">
              <dt>{t("student.grade")}</dt>
              <dd>{child.gradeLevel}</dd>
              <dt>{t("student.iepStatus")}</dt>
              <dd>{t(`iepStatus.${child.iepStatus}` as MessageKey)}</dd>
            </dl>
            <ChildIeps studentId={child._id} name={child.firstName} />
          </article>
        ))}
      </div>
    </section>
  );
}

function ChildIeps({ studentId, name }: { studentId: Id<"students">; name: string }) {
  const t = useT();
  const user = useCurrentUser();
  const ieps = useQuery(api.ieps.listForStudent, { studentId });
  const current = (ieps ?? []).filter((i) => i.status === "active" || i.status === "draft" || i.status === "in_review");
  if (ieps !== undefined && current.length === 0) return <p>{t("parent.noIep")}</p>;
  return (
    <ul>
      {current.map((iep) => (
        <li key={iep._id}>
          <Link to={`/ieps/${iep._id}`}>
            {t("parent.childIep", { name })}: {t("iep.title", { version: iep.version })} · {t(`iep.status.${iep.status}`)}
          </Link>
          {iep.status === "in_review" && !iep.approvals.some((a) => a.userId === user._id) ? <strong> — {t("parent.signPrompt")}</strong> : null}
        </li>
      ))}
    </ul>
  );
}
