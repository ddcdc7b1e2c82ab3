// Every structured section of an IEP, read-only.
import { useI18n } from "../../i18n/I18nProvider";
import type { IepContent } from "./iepDiff";

const SERVICES = ["specialEducation", "speechTherapy", "occupationalTherapy", "physicalTherapy", "counseling"] as const;

export function IepView({ iep, nameOf }: { iep: IepContent & { nextReviewDate?: string }; nameOf: (id: string) => string }) {
  const { t, formatDate, formatNumber } = useI18n();
  return (
    <div className="grid-2">
      <div className="card">
        <dl className="facts">
          <dt>{t("iep.meetingDate")}</dt>
          <dd>{formatDate(iep.meetingDate)}</dd>
          <dt>{t("iep.effectiveDate")}</dt>
          <dd>{formatDate(iep.effectiveDate)}</dd>
          <dt>{t("iep.expirationDate")}</dt>
          <dd>{formatDate(iep.expirationDate)}</dd>
          {iep.nextReviewDate ? (
            <>
              <dt>{t("iep.nextReviewDate")}</dt>
              <dd>{formatDate(iep.nextReviewDate)}</dd>
            </>
          ) : null}
          <dt>{t("iep.placement")}</dt>
          <dd>{iep.placement}</dd>
        </dl>
        <h2>{t("iep.serviceHours")}</h2>
        <dl className="facts">
          {SERVICES.filter((s) => iep.serviceHours[s] !== undefined).map((s) => (
            <div key={s} style={{ display: "contents" }}>
              <dt>{t(`iep.service.${s}`)}</dt>
              <dd>{formatNumber(iep.serviceHours[s]!)}</dd>
            </div>
          ))}
          {(iep.serviceHours.other ?? []).map((o, i) => (
            <div key={i} style={{ display: "contents" }}>
              <dt>{o.service}</dt>
              <dd>{formatNumber(o.hours)}</dd>
            </div>
          ))}
        </dl>
        <h2>{t("iep.team")}</h2>
        <ul>
          {iep.teamMembers.map((id) => (
            <li key={id}>{nameOf(id)}</li>
          ))}
        </ul>
      </div>
      <div className="card">
        <h2>{t("iep.accommodations")}</h2>
        {iep.accommodations.length === 0 ? <p>{t("app.none")}</p> : null}
        <ul>
          {iep.accommodations.map((a, i) => (
            <li key={i}>
              <strong>{a.category}</strong>: {a.description} <span className="muted">({a.setting})</span>
            </li>
          ))}
        </ul>
        <h2>{t("iep.modifications")}</h2>
        {iep.modifications.length === 0 ? <p>{t("app.none")}</p> : null}
        <ul>
          {iep.modifications.map((m, i) => (
            <li key={i}>
              <strong>{m.subject}</strong>: {m.description} <span className="muted">({m.criteria})</span>
            </li>
          ))}
        </ul>
        <h2>{t("iep.transitionPlan")}</h2>
        {iep.transitionPlan ? (
          <ul>
            {iep.transitionPlan.postSecondaryGoals.map((g, i) => (
              <li key={`g${i}`}>{g}</li>
            ))}
            {iep.transitionPlan.transitionServices.map((s, i) => (
              <li key={`s${i}`}>{s}</li>
            ))}
            {(iep.transitionPlan.agencyInvolvement ?? []).map((a, i) => (
              <li key={`a${i}`}>{a}</li>
            ))}
          </ul>
        ) : (
          <p>{t("iep.transition.none")}</p>
        )}
      </div>
    </div>
  );
}
