// Differences between two IEP versions over the structured sections (dates, placement, service
// hours, accommodations, modifications, transition plan, team): each section flattened to lines
// of text, then compared line by line. Pure, for the version-history view and its test.
export interface IepContent {
  effectiveDate: string;
  expirationDate: string;
  meetingDate: string;
  placement: string;
  serviceHours: {
    specialEducation: number;
    speechTherapy?: number;
    occupationalTherapy?: number;
    physicalTherapy?: number;
    counseling?: number;
    other?: { service: string; hours: number }[];
  };
  accommodations: { category: string; description: string; setting: string }[];
  modifications: { subject: string; description: string; criteria: string }[];
  transitionPlan?: { postSecondaryGoals: string[]; transitionServices: string[]; agencyInvolvement?: string[] };
  teamMembers: string[];
}

export type Section =
  | "effectiveDate"
  | "expirationDate"
  | "meetingDate"
  | "placement"
  | "serviceHours"
  | "accommodations"
  | "modifications"
  | "transitionPlan"
  | "team";

export interface SectionDiff {
  section: Section;
  removed: string[];
  added: string[];
}

/** How lines read: people's names, dates and service names in the reader's language. */
export interface DiffFormat {
  nameOf?: (id: string) => string;
  date?: (isoDate: string) => string;
  service?: (key: string) => string;
}

export function sectionLines(iep: IepContent, format: DiffFormat = {}): Record<Section, string[]> {
  const nameOf = format.nameOf ?? ((id: string) => id);
  const date = format.date ?? ((d: string) => d);
  const service = format.service ?? ((key: string) => key);
  const h = iep.serviceHours;
  const hours: string[] = [`${service("specialEducation")}: ${h.specialEducation}`];
  for (const key of ["speechTherapy", "occupationalTherapy", "physicalTherapy", "counseling"] as const) {
    if (h[key] !== undefined) hours.push(`${service(key)}: ${h[key]}`);
  }
  for (const o of h.other ?? []) hours.push(`${o.service}: ${o.hours}`);
  const plan = iep.transitionPlan;
  return {
    effectiveDate: [date(iep.effectiveDate)],
    expirationDate: [date(iep.expirationDate)],
    meetingDate: [date(iep.meetingDate)],
    placement: [iep.placement],
    serviceHours: hours,
    accommodations: iep.accommodations.map((a) => `${a.category} — ${a.description} (${a.setting})`),
    modifications: iep.modifications.map((m) => `${m.subject} — ${m.description} (${m.criteria})`),
    transitionPlan: plan
      ? [...plan.postSecondaryGoals.map((g) => `goal: ${g}`), ...plan.transitionServices.map((s) => `service: ${s}`), ...(plan.agencyInvolvement ?? []).map((a) => `agency: ${a}`)]
      : [],
    team: iep.teamMembers.map(nameOf).sort(),
  };
}

/** Sections that differ from `before` to `after`, with the lines removed and added (multiset). */
export function diffIeps(before: IepContent, after: IepContent, format?: DiffFormat): SectionDiff[] {
  const a = sectionLines(before, format);
  const b = sectionLines(after, format);
  const diffs: SectionDiff[] = [];
  for (const section of Object.keys(a) as Section[]) {
    const removed = minus(a[section], b[section]);
    const added = minus(b[section], a[section]);
    if (removed.length || added.length) diffs.push({ section, removed, added });
  }
  return diffs;
}

function minus(from: string[], take: string[]): string[] {
  const counts = new Map<string, number>();
  for (const line of take) counts.set(line, (counts.get(line) ?? 0) + 1);
  const result: string[] = [];
  for (const line of from) {
    const left = counts.get(line) ?? 0;
    if (left > 0) counts.set(line, left - 1);
    else result.push(line);
  }
  return result;
}
