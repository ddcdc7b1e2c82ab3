// Every version of the student's IEP, and what changed between this one and another.
import { useQuery } from "convex/react";
import { useState } from "react";
import { Link } from "react-router";
import { api } from "../../../convex/_generated/api";
import type { Doc } from "../../../convex/_generated/dataModel";
import { SelectField } from "../../components/Field";
import { useI18n } from "../../i18n/I18nProvider";
import type { MessageKey } from "../../i18n/en";
import { diffIeps } from "./iepDiff";

export function VersionHistory({ iep, nameOf }: { iep: Doc<"ieps">; nameOf: (id: string) => string }) {
  const { t, formatDate } = useI18n();
  const versions = useQuery(api.ieps.listForStudent, { studentId: iep.studentId });
  const others = (versions ?? []).filter((v) => v._id !== iep._id);
  const defaultOther = others.find((v) => v.version < iep.version) ?? others[0];
  const [otherId, setOtherId] = useState<string | null>(null);
  const other = others.find((v) => v._id === otherId) ?? defaultOther;
  const format = { nameOf, date: formatDate, service: (key: string) => t(`iep.service.${key}` as MessageKey) };
  const diff = other ? (other.version < iep.version ? diffIeps(other, iep, format) : diffIeps(iep, other, format)) : [];
  const sectionLabel: Record<string, MessageKey> = {
    effectiveDate: "iep.effectiveDate",
    expirationDate: "iep.expirationDate",
    meetingDate: "iep.meetingDate",
    placement: "iep.placement",
    serviceHours: "iep.serviceHours",
    accommodations: "iep.accommodations",
    modifications: "iep.modifications",
    transitionPlan: "iep.transitionPlan",
    team: "iep.team",
  };
  return (
    <section className="card" aria-labelledby="history-title">
      <h2 id="history-title">{t("iep.history")}</h2>
      <ul>
        {(versions ?? []).map((v) => (
          <li key={v._id}>
            {v._id === iep._id ? (
              <strong aria-current="page">{t("iep.title", { version: v.version })}</strong>
            ) : (
              <Link to={`/ieps/${v._id}`}>{t("iep.title", { version: v.version })}</Link>
            )}{" "}
            · {t(`iep.status.${v.status}`)} · {formatDate(v.effectiveDate)}–{formatDate(v.expirationDate)}
          </li>
        ))}
      </ul>
      {other ? (
        <>
          <SelectField
            label={t("iep.compareWith")}
            value={other._id}
            onChange={(e) => setOtherId(e.target.value)}
            options={others.map((v) => ({ value: v._id, label: t("iep.title", { version: v.version }) }))}
          />
          <h3>{t("iep.differences", { version: other.version })}</h3>
          {diff.length === 0 ? <p>{t("iep.noDifferences")}</p> : null}
          {diff.length > 0 ? (
            <div className="table-scroll">
              <table className="data-table">
                <caption className="visually-hidden">{t("iep.differences", { version: other.version })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("iep.diff.field")}</th>
                    <th scope="col">{t("iep.diff.before")}</th>
                    <th scope="col">{t("iep.diff.after")}</th>
                  </tr>
                </thead>
                <tbody>
                  {diff.map((d) => (
                    <tr key={d.section}>
                      <th scope="row">{t(sectionLabel[d.section])}</th>
                      <td className="diff-before">{d.removed.map((line, i) => <div key={i}>− {line}</div>)}</td>
                      <td className="diff-after">{d.added.map((line, i) => <div key={i}>+ {line}</div>)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
