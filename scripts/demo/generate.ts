/**
 * The demo district: a deterministic (seeded) generator of realistic, obviously fictional data
 * for every SEMS table the application reads — organizations, staff of every role, students
 * across IDEA's disability categories and grades, IEPs in every status (some overdue, some due
 * soon, some with transition plans), goals in every domain with real measures, two school years
 * of progress data with believable trends and noise, parents linked to children, documents.
 *
 * Pure: no I/O, no clock (dates are relative to `options.today`), no Convex imports. The output
 * is a stream of SeedRecords (convex/model/seedRecords.ts) whose refs only point backwards, so
 * `seed.loadBatch` can insert it in batches of a few hundred documents, even for 10,000 students.
 */
import { addDays, addYears, daysBetween } from "../../convex/model/calendarDate";
import { PENDING_CONTENT_HASH, type SeedRecord, type SeedValue } from "../../convex/model/seedRecords";
import { foldForSearch, searchNameFor } from "../../convex/model/searchName";
import {
  ACCOMMODATIONS,
  DISABILITY_CATEGORIES,
  DOMAINS_BY_DISABILITY,
  FIRST_NAMES,
  GOAL_TEMPLATES,
  LAST_NAMES,
  MEDICAL_NOTES,
  MODIFICATIONS,
  PLACEMENTS,
  RELATIONSHIPS,
  TRANSPORTATION_NOTES,
  typicalAge,
  type DisabilityCategory,
  type GoalTemplate,
  type Grade,
  type ProviderKind,
} from "./catalog";
import { Prng } from "./prng";
import { dayOfWeek, instantOn, schoolDaysBetween, schoolYearsAround, type SchoolYear } from "./schoolCalendar";

export interface DemoOptions {
  /** Students in the whole demo (the second, small organization takes about 5% of them). */
  students: number;
  /** YYYY-MM-DD; every date is relative to it. */
  today: string;
  seed?: number;
}

/** One shared password for every demo sign-in (documented in scripts/demo/README.md). */
export const DEMO_PASSWORD = "sems-demo-password";
export const DEMO_DOMAIN = "demo.sems.test";
export const SECOND_ORG_DOMAIN = "cedar.sems.test";
export const DEFAULT_SEED = 20_250_901;

export interface DemoSignIn {
  role: "admin" | "teacher" | "specialist" | "parent" | "student";
  email: string;
  name: string;
  organization: string;
  note: string;
}

export interface DemoDistrict {
  password: string;
  signIns: DemoSignIn[];
  /** A fresh, identical stream of records on every call. */
  records(): Generator<SeedRecord>;
}

const MAIN_ORG_NAME = "Maple Hollow Unified School District (demo)";
const SECOND_ORG_NAME = "Cedar Bluff Charter Academy (demo)";

/** The fixed demo people: their names do not depend on the seed, so the README can name them. */
const DEMO_PEOPLE = {
  admin: { firstName: "Morgan", lastName: "Oakhaven" },
  teacher: { firstName: "Riley", lastName: "Brightwater" },
  specialist: { firstName: "Sam", lastName: "Larkspur" },
  parent: { firstName: "Jordan", lastName: "Foxglove" },
  student: { firstName: "Maya", lastName: "Foxglove" },
  inactive: { firstName: "Casey", lastName: "Dunmore" },
  secondAdmin: { firstName: "Avery", lastName: "Cindervale" },
} as const;

export function demoSignIns(): DemoSignIn[] {
  const name = (p: { firstName: string; lastName: string }) => `${p.firstName} ${p.lastName}`;
  return [
    { role: "admin", email: `admin@${DEMO_DOMAIN}`, name: name(DEMO_PEOPLE.admin), organization: MAIN_ORG_NAME, note: "district administrator: every student of the district" },
    { role: "teacher", email: `teacher@${DEMO_DOMAIN}`, name: name(DEMO_PEOPLE.teacher), organization: MAIN_ORG_NAME, note: "case manager of a caseload that shows every IEP status and clock" },
    { role: "specialist", email: `specialist@${DEMO_DOMAIN}`, name: name(DEMO_PEOPLE.specialist), organization: MAIN_ORG_NAME, note: "speech-language pathologist on several students' teams" },
    { role: "parent", email: `parent@${DEMO_DOMAIN}`, name: name(DEMO_PEOPLE.parent), organization: MAIN_ORG_NAME, note: "parent of two students: Maya and a younger sibling" },
    { role: "student", email: `student@${DEMO_DOMAIN}`, name: name(DEMO_PEOPLE.student), organization: MAIN_ORG_NAME, note: "a grade 7 student who reads her own goals and progress" },
    { role: "teacher", email: `inactive@${DEMO_DOMAIN}`, name: name(DEMO_PEOPLE.inactive), organization: MAIN_ORG_NAME, note: "a deactivated account: every request is refused" },
    { role: "admin", email: `admin@${SECOND_ORG_DOMAIN}`, name: name(DEMO_PEOPLE.secondAdmin), organization: SECOND_ORG_NAME, note: "administrator of another organization: sees none of Maple Hollow's data" },
  ];
}

export function generateDemoDistrict(options: DemoOptions): DemoDistrict {
  if (!Number.isInteger(options.students) || options.students < 1) {
    throw new RangeError("--students must be a positive whole number");
  }
  addDays(options.today, 0); // validates the date
  return {
    password: DEMO_PASSWORD,
    signIns: demoSignIns(),
    records: () => districtRecords(options),
  };
}

// ---------------------------------------------------------------------------------------------

type IepScenario =
  | "active"
  | "review_due_soon"
  | "active_with_draft"
  | "active_in_review"
  | "expired"
  | "referral"
  | "eligible_draft"
  | "exited";

interface StudentScenario {
  grade: Grade;
  disability: DisabilityCategory;
  iep: IepScenario;
  transitionPlanMissing: boolean;
  reevaluation: "normal" | "due_soon" | "overdue";
  recordsRequest: "none" | "open" | "overdue" | "fulfilled";
  progressReportMissing: boolean;
}

const SCENARIO_WEIGHTS: readonly (readonly [IepScenario, number])[] = [
  ["active", 62],
  ["review_due_soon", 9],
  ["active_with_draft", 6],
  ["active_in_review", 4],
  ["expired", 4],
  ["referral", 5],
  ["eligible_draft", 4],
  ["exited", 6],
];

/** The demo teacher's caseload: every IEP status, every clock state, every category. */
const FORCED_SCENARIOS: readonly Partial<StudentScenario>[] = [
  { grade: "7", disability: "Specific learning disability", iep: "active" },
  { grade: "3", disability: "Speech or language impairment", iep: "review_due_soon" },
  { grade: "10", disability: "Autism", iep: "active" },
  { grade: "11", disability: "Emotional disturbance", iep: "active", transitionPlanMissing: true, recordsRequest: "overdue" },
  { grade: "5", disability: "Other health impairment", iep: "active_with_draft", recordsRequest: "open" },
  { grade: "8", disability: "Intellectual disability", iep: "active_in_review" },
  { grade: "4", disability: "Specific learning disability", iep: "expired" },
  { grade: "K", disability: "Developmental delay", iep: "referral" },
  { grade: "1", disability: "Speech or language impairment", iep: "eligible_draft" },
  { grade: "12", disability: "Multiple disabilities", iep: "active", reevaluation: "overdue" },
  { grade: "9", disability: "Hearing impairment", iep: "active", progressReportMissing: true, reevaluation: "due_soon" },
  { grade: "6", disability: "Orthopedic impairment", iep: "active", recordsRequest: "fulfilled" },
  { grade: "2", disability: "Visual impairment", iep: "active" },
  { grade: "Transition", disability: "Traumatic brain injury", iep: "active" },
  { grade: "3", disability: "Deaf-blindness", iep: "exited" },
];

interface Staff {
  ref: string;
  firstName: string;
  lastName: string;
}

interface OrgContext {
  rng: Prng;
  today: string;
  years: [SchoolYear, SchoolYear];
  orgRef: string;
  domain: string;
  prefix: string;
  demo: boolean;
  admins: Staff[];
  teachers: Staff[];
  providers: Record<Exclude<ProviderKind, "case_manager">, Staff[]>;
  next: Record<string, number>;
  emails: Set<string>;
}

class RefCounter {
  private counts = new Map<string, number>();
  make(prefix: string): string {
    const n = (this.counts.get(prefix) ?? 0) + 1;
    this.counts.set(prefix, n);
    return `${prefix}${n}`;
  }
}

function* districtRecords(options: DemoOptions): Generator<SeedRecord> {
  const rng = new Prng(options.seed ?? DEFAULT_SEED);
  const refs = new RefCounter();
  const secondCount = options.students >= 20 ? Math.floor(options.students / 20) : 0;
  const mainRng = rng.fork(1);
  const secondRng = rng.fork(2);
  yield* organizationRecords(
    { rng: mainRng, name: MAIN_ORG_NAME, domain: DEMO_DOMAIN, prefix: "MH", demo: true, city: "Maple Hollow" },
    options.students - secondCount,
    options.today,
    refs,
  );
  if (secondCount > 0) {
    yield* organizationRecords(
      { rng: secondRng, name: SECOND_ORG_NAME, domain: SECOND_ORG_DOMAIN, prefix: "CB", demo: false, city: "Cedar Bluff" },
      secondCount,
      options.today,
      refs,
    );
  }
}

interface OrgSpec {
  rng: Prng;
  name: string;
  domain: string;
  prefix: string;
  demo: boolean;
  city: string;
}

const id = (ref: string): SeedValue => ({ ref });

function emailLocal(text: string): string {
  return foldForSearch(text).replace(/[^a-z0-9]+/g, ".").replace(/^\.+|\.+$/g, "");
}

function uniqueEmail(ctx: OrgContext, first: string, last: string): string {
  const base = `${emailLocal(first)}.${emailLocal(last)}`;
  let email = `${base}@${ctx.domain}`;
  for (let n = 2; ctx.emails.has(email); n++) email = `${base}${n}@${ctx.domain}`;
  ctx.emails.add(email);
  return email;
}

function phone(rng: Prng): string {
  // 555-0100 to 555-0199 are reserved for fiction.
  return `(${rng.int(201, 989)}) 555-01${String(rng.int(0, 99)).padStart(2, "0")}`;
}

function* organizationRecords(spec: OrgSpec, studentCount: number, today: string, refs: RefCounter): Generator<SeedRecord> {
  const { rng } = spec;
  const years = schoolYearsAround(today);
  const orgRef = refs.make("org");
  yield {
    table: "organizations",
    ref: orgRef,
    fields: {
      name: spec.name,
      type: spec.demo ? "district" : "school",
      address: { street: `${rng.int(100, 999)} Example Avenue`, city: spec.city, state: "IL", zipCode: "62999", country: "US" },
      contactInfo: { phone: phone(rng), email: `office@${spec.domain}`, website: `https://www.${spec.domain}` },
      settings: {
        timezone: "America/Chicago",
        academicYear: { start: years[1].start, end: years[1].end },
        gradeSystem: ["PK", "K", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "Transition"],
        reportingPeriods: [...years[0].reportingPeriodEnds, ...years[1].reportingPeriodEnds],
        complianceSettings: { iepReviewCycle: 365, evaluationCycle: 1095, transitionAge: 16, initialEvaluationDays: 60 },
      },
      isActive: true,
      subscriptionTier: spec.demo ? "enterprise" : "professional",
      maxUsers: Math.max(100, studentCount * 4),
      maxStudents: Math.max(100, studentCount * 2),
    },
  };

  const ctx: OrgContext = {
    rng,
    today,
    years,
    orgRef,
    domain: spec.domain,
    prefix: spec.prefix,
    demo: spec.demo,
    admins: [],
    teachers: [],
    providers: { slp: [], ot: [], pt: [], psychologist: [], counselor: [], bcba: [], transition: [] },
    next: {},
    emails: new Set(),
  };

  // Staff of every role. The fixed demo people come first in their pools.
  const staff = function* (
    role: "admin" | "teacher" | "specialist",
    pool: Staff[],
    count: number,
    fixed?: { firstName: string; lastName: string; email: string; isActive?: boolean },
  ): Generator<SeedRecord> {
    for (let i = 0; i < count; i++) {
      const person = i === 0 && fixed ? fixed : { firstName: rng.pick(FIRST_NAMES), lastName: rng.pick(LAST_NAMES), email: "" };
      const email = person.email || uniqueEmail(ctx, person.firstName, person.lastName);
      ctx.emails.add(email);
      const ref = refs.make("u");
      const active = !(i === 0 && fixed?.isActive === false);
      if (active) pool.push({ ref, firstName: person.firstName, lastName: person.lastName });
      yield {
        table: "users",
        ref,
        fields: {
          email,
          firstName: person.firstName,
          lastName: person.lastName,
          role,
          phoneNumber: phone(rng),
          organizationId: id(orgRef),
          isActive: active,
          preferences: { notifications: true, theme: "light", language: rng.chance(0.1) ? "es" : "en" },
        },
      };
    }
  };

  const demoFixed = (person: { firstName: string; lastName: string }, local: string) =>
    ({ ...person, email: `${local}@${spec.domain}` });
  yield* staff("admin", ctx.admins, 1 + Math.ceil(studentCount / 500), spec.demo ? demoFixed(DEMO_PEOPLE.admin, "admin") : demoFixed(DEMO_PEOPLE.secondAdmin, "admin"));
  yield* staff("teacher", ctx.teachers, Math.max(2, Math.ceil(studentCount / 12)), spec.demo ? demoFixed(DEMO_PEOPLE.teacher, "teacher") : undefined);
  if (spec.demo) yield* staff("teacher", [], 1, { ...demoFixed(DEMO_PEOPLE.inactive, "inactive"), isActive: false });
  const perKind: Record<Exclude<ProviderKind, "case_manager">, number> = {
    slp: Math.ceil(studentCount / 40),
    ot: Math.ceil(studentCount / 80),
    pt: Math.ceil(studentCount / 150),
    psychologist: Math.ceil(studentCount / 100),
    counselor: Math.ceil(studentCount / 120),
    bcba: Math.ceil(studentCount / 150),
    transition: Math.ceil(studentCount / 200),
  };
  for (const kind of Object.keys(perKind) as (keyof typeof perKind)[]) {
    const fixed = spec.demo && kind === "slp" ? demoFixed(DEMO_PEOPLE.specialist, "specialist") : undefined;
    yield* staff("specialist", ctx.providers[kind], perKind[kind], fixed);
  }

  // Students, in families: parents are written just before their first child.
  let family: Staff[] = [];
  let familyLastName = "";
  for (let i = 0; i < studentCount; i++) {
    const sibling = spec.demo && i === 1 ? true : i > 0 && !(spec.demo && i === 0) && rng.chance(0.12);
    if (!sibling || family.length === 0) {
      family = [];
      familyLastName = spec.demo && i === 0 ? DEMO_PEOPLE.parent.lastName : rng.pick(LAST_NAMES);
      const parents = rng.chance(0.6) ? 2 : 1;
      for (let p = 0; p < parents; p++) {
        const fixed = spec.demo && i === 0 && p === 0;
        const firstName = fixed ? DEMO_PEOPLE.parent.firstName : rng.pick(FIRST_NAMES);
        const email = fixed ? `parent@${spec.domain}` : uniqueEmail(ctx, firstName, familyLastName);
        ctx.emails.add(email);
        const ref = refs.make("u");
        family.push({ ref, firstName, lastName: familyLastName });
        yield {
          table: "users",
          ref,
          fields: {
            email,
            firstName,
            lastName: familyLastName,
            role: "parent",
            phoneNumber: phone(rng),
            organizationId: id(orgRef),
            isActive: true,
            preferences: { notifications: true, theme: "light", language: rng.chance(0.2) ? "es" : "en" },
          },
        };
      }
    }
    yield* studentRecords(ctx, refs, i, familyLastName, family);
  }
}

function scenarioFor(ctx: OrgContext, index: number): StudentScenario {
  const { rng } = ctx;
  const forced = ctx.demo && index < FORCED_SCENARIOS.length ? FORCED_SCENARIOS[index] : undefined;
  let disability = forced?.disability ?? rng.weighted(DISABILITY_CATEGORIES);
  let grade: Grade;
  if (forced?.grade) grade = forced.grade;
  else if (disability === "Developmental delay") grade = rng.pick(["PK", "K", "1", "2", "3"] as const);
  else grade = rng.pick(["PK", "K", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "Transition"] as const);
  if (!forced && disability === "Developmental delay" && !["PK", "K", "1", "2", "3"].includes(grade)) disability = "Specific learning disability";
  let iep = forced?.iep ?? rng.weighted(SCENARIO_WEIGHTS);
  if (grade === "PK" && iep === "exited") iep = "active";
  return {
    grade,
    disability,
    iep,
    transitionPlanMissing: forced?.transitionPlanMissing ?? rng.chance(0.12),
    reevaluation: forced?.reevaluation ?? rng.weighted([["normal", 88], ["due_soon", 7], ["overdue", 5]] as const),
    recordsRequest: forced?.recordsRequest ?? rng.weighted([["none", 93], ["open", 3], ["overdue", 1], ["fulfilled", 3]] as const),
    progressReportMissing: forced?.progressReportMissing ?? rng.chance(0.06),
  };
}

function roundRobin(ctx: OrgContext, kind: string, pool: Staff[]): Staff {
  const n = ctx.next[kind] ?? 0;
  ctx.next[kind] = n + 1;
  return pool[n % pool.length];
}

interface PlannedIep {
  ref: string;
  status: "draft" | "in_review" | "active" | "expired" | "superseded";
  meetingDate: string;
  effectiveDate: string;
  expirationDate: string;
  version: number;
  /** Progress is recorded from the effective date to this date (null: none yet). */
  dataUntil: string | null;
}

function* studentRecords(ctx: OrgContext, refs: RefCounter, index: number, lastName: string, family: Staff[]): Generator<SeedRecord> {
  const { rng, today, years } = ctx;
  const scenario = scenarioFor(ctx, index);
  const isDemoStudent = ctx.demo && index === 0;
  const firstName = isDemoStudent ? DEMO_PEOPLE.student.firstName : rng.pick(FIRST_NAMES);
  const caseManager = ctx.demo && index < FORCED_SCENARIOS.length ? ctx.teachers[0] : roundRobin(ctx, "teacher", ctx.teachers);

  // Age on the first day of this school year; one student in ten was held back a year.
  const age = scenario.grade === "Transition" ? rng.int(18, 20) : typicalAge(scenario.grade) + (rng.chance(0.1) ? 1 : 0);
  const dateOfBirth = addDays(addYears(years[1].start, -age), -rng.int(1, 364));

  const enrollmentStatus =
    scenario.iep !== "exited" ? "active" : scenario.grade === "12" || scenario.grade === "Transition" ? "graduated" : rng.pick(["transferred", "inactive"] as const);
  const iepStatus =
    scenario.iep === "expired" ? "expired" : scenario.iep === "referral" || scenario.iep === "eligible_draft" ? "pending" : scenario.iep === "exited" ? "not_applicable" : "active";

  const secondary = rng.chance(0.15)
    ? [rng.pick(DISABILITY_CATEGORIES.filter(([c]) => c !== scenario.disability && c !== "Developmental delay").map(([c]) => c))]
    : undefined;
  const medical = rng.chance(0.25) ? rng.pick(MEDICAL_NOTES) : undefined;
  const studentRef = refs.make("s");
  yield {
    table: "students",
    ref: studentRef,
    fields: {
      organizationId: id(ctx.orgRef),
      firstName,
      lastName,
      searchName: searchNameFor(firstName, lastName),
      dateOfBirth, // plaintext here; seed.loadBatch encrypts it (D14)
      studentNumber: `${ctx.prefix}${String(100_001 + index)}`,
      gradeLevel: scenario.grade,
      primaryDisability: scenario.disability,
      secondaryDisabilities: secondary,
      caseManagerId: id(caseManager.ref),
      enrollmentStatus,
      iepStatus,
      emergencyContacts: family.map((p, i) => ({
        name: `${p.firstName} ${p.lastName}`,
        relationship: i === 0 ? "parent" : "parent or guardian",
        phone: phone(rng),
        email: `${emailLocal(p.firstName)}.${emailLocal(p.lastName)}@mail.example`,
      })),
      medicalConsiderations: medical,
      transportationNeeds: rng.chance(0.15) ? rng.pick(TRANSPORTATION_NOTES) : undefined,
    },
  };

  // A sign-in for the student: the demo student, and some older students.
  const gradeNumber = scenario.grade === "Transition" ? 13 : Number(scenario.grade);
  if (isDemoStudent || (enrollmentStatus === "active" && gradeNumber >= 6 && rng.chance(0.3))) {
    const email = isDemoStudent ? `student@${ctx.domain}` : uniqueEmail(ctx, firstName, `${lastName}.student`);
    ctx.emails.add(email);
    yield {
      table: "users",
      ref: refs.make("u"),
      fields: {
        email,
        firstName,
        lastName,
        role: "student",
        organizationId: id(ctx.orgRef),
        isActive: true,
        studentId: id(studentRef),
        preferences: { notifications: false, theme: "light", language: "en" },
      },
    };
  }

  for (const [i, parent] of family.entries()) {
    yield {
      table: "guardianships",
      fields: {
        studentId: id(studentRef),
        userId: id(parent.ref),
        organizationId: id(ctx.orgRef),
        relationship: isDemoStudent && i === 0 ? "mother" : rng.weighted(RELATIONSHIPS),
        holdsEducationalRights: i === 0 || rng.chance(0.8),
      },
    };
  }

  // Goals follow the disability; students of transition age also get a vocational goal.
  const domains = DOMAINS_BY_DISABILITY[scenario.disability];
  const goalCount = rng.int(2, Math.min(4, domains.length + 1));
  const templates: GoalTemplate[] = [];
  for (let g = 0; g < goalCount; g++) {
    const domain = domains[g % domains.length];
    const choices = GOAL_TEMPLATES.filter((t) => t.domain === domain && !templates.includes(t));
    // The demo caseload takes each domain's first template, so the walkthrough always shows words
    // correct per minute and a behaviour to reduce; everyone else gets a random one.
    const forced = ctx.demo && index < FORCED_SCENARIOS.length;
    if (choices.length > 0) templates.push(forced ? choices[0] : rng.pick(choices));
  }
  if (age >= 15 && !templates.some((t) => t.domain === "vocational")) {
    templates.push(GOAL_TEMPLATES.find((t) => t.domain === "vocational") as GoalTemplate);
  }

  // The team: one provider per kind the goals need, plus sometimes a general-education teacher.
  const team = new Map<ProviderKind, Staff>();
  team.set("case_manager", caseManager);
  const providerKinds = new Set<Exclude<ProviderKind, "case_manager">>();
  for (const t of templates) if (t.provider !== "case_manager") providerKinds.add(t.provider);
  if (scenario.iep === "referral" || scenario.iep === "eligible_draft" || scenario.reevaluation !== "normal") providerKinds.add("psychologist");
  for (const kind of providerKinds) {
    const pool = ctx.providers[kind];
    if (pool.length > 0) team.set(kind, roundRobin(ctx, kind, pool));
  }
  const ieps = planIeps(ctx, refs, scenario);
  const teamStart = ieps[0]?.meetingDate ?? addDays(today, -rng.int(20, 60));
  for (const [kind, member] of team) {
    if (kind === "case_manager") continue;
    yield {
      table: "studentTeamMembers",
      fields: {
        studentId: id(studentRef),
        userId: id(member.ref),
        organizationId: id(ctx.orgRef),
        kind: kind === "psychologist" || kind === "bcba" || kind === "transition" ? "specialist" : "related_service_provider",
        startDate: teamStart,
      },
    };
  }
  const generalEducationTeacher = ctx.teachers.length > 1 && rng.chance(0.5) ? ctx.teachers[rng.int(0, ctx.teachers.length - 1)] : undefined;
  if (generalEducationTeacher && generalEducationTeacher !== caseManager) {
    yield {
      table: "studentTeamMembers",
      fields: { studentId: id(studentRef), userId: id(generalEducationTeacher.ref), organizationId: id(ctx.orgRef), kind: "teacher", startDate: teamStart },
    };
  }

  yield* evaluationRecords(ctx, scenario, studentRef, ieps, team.get("psychologist") ?? caseManager);

  const admin = ctx.admins[0];
  const rightsHolder = family[0];
  let levels = templates.map((t) => rng.int(t.baseline[0], t.baseline[1]));
  // How each goal responds to instruction, relative to its aim line: most students keep pace or
  // better, some fall behind, a few barely move — enough of each for every decision to occur.
  const response = templates.map(() => rng.weighted([[1.5, 15], [1.15, 40], [0.85, 25], [0.45, 12], [0.1, 8]] as const));
  for (const iep of ieps) {
    const iepRef = iep.ref;
    const turnsTransitionAge = addYears(dateOfBirth, 16) <= iep.expirationDate;
    const withPlan = turnsTransitionAge && !(iep.status === "active" && scenario.transitionPlanMissing);
    const signed = iep.status === "active" || iep.status === "superseded" || iep.status === "expired";
    const approvals =
      signed || iep.status === "in_review"
        ? [
            { userId: id(caseManager.ref), role: "case_manager", approvedAt: instantOn(iep.meetingDate, 15), signature: `${caseManager.firstName} ${caseManager.lastName}`, contentHash: PENDING_CONTENT_HASH },
            { userId: id(admin.ref), role: "district_representative", approvedAt: instantOn(iep.meetingDate, 16), signature: `${admin.firstName} ${admin.lastName}`, contentHash: PENDING_CONTENT_HASH },
            ...(signed ? [{ userId: id(rightsHolder.ref), role: "parent", approvedAt: instantOn(addDays(iep.meetingDate, rng.int(0, 5)), 18), signature: `${rightsHolder.firstName} ${rightsHolder.lastName}`, contentHash: PENDING_CONTENT_HASH }] : []),
          ]
        : [];
    const domainsUsed = new Set(templates.map((t) => t.domain));
    const placement = scenario.disability === "Deaf-blindness" || scenario.disability === "Multiple disabilities" ? PLACEMENTS[rng.int(2, 3)] : PLACEMENTS[rng.weighted([[0, 60], [1, 28], [2, 10], [3, 2]] as const)];
    const specialEducation = placement === PLACEMENTS[0] ? rng.int(2, 6) : placement === PLACEMENTS[1] ? rng.int(8, 15) : rng.int(18, 28);
    yield {
      table: "ieps",
      ref: iepRef,
      fields: {
        studentId: id(studentRef),
        organizationId: id(ctx.orgRef),
        effectiveDate: iep.effectiveDate,
        expirationDate: iep.expirationDate,
        meetingDate: iep.meetingDate,
        nextReviewDate: addDays(iep.meetingDate, 365),
        placement,
        serviceHours: {
          specialEducation,
          speechTherapy: domainsUsed.has("communication") ? rng.pick([0.5, 1, 1.5]) : undefined,
          occupationalTherapy: team.has("ot") ? 0.5 : undefined,
          physicalTherapy: team.has("pt") ? 0.5 : undefined,
          counseling: domainsUsed.has("social") || scenario.disability === "Emotional disturbance" ? 0.5 : undefined,
          other: scenario.disability === "Autism" ? [{ service: "Behavior analyst consultation", hours: 1 }] : undefined,
        },
        accommodations: rng.sample(ACCOMMODATIONS, rng.int(2, 4)).map((a) => ({ ...a })),
        modifications: rng.chance(0.35) ? rng.sample(MODIFICATIONS, 1).map((m) => ({ ...m })) : [],
        transitionPlan: withPlan
          ? {
              postSecondaryGoals: [
                "After high school, will attend a community college certificate program.",
                "Will work part time in a supported setting.",
              ],
              transitionServices: ["Career interest inventory", "Job shadowing", "Travel training"],
              agencyInvolvement: rng.chance(0.6) ? ["Vocational rehabilitation (fictional county office)"] : undefined,
            }
          : undefined,
        status: iep.status,
        version: iep.version,
        createdBy: id(caseManager.ref),
        teamMembers: [...new Set([...team.values()].map((m) => m.ref)), ...family.map((p) => p.ref)].map(id),
        approvals,
      },
    };

    // Goals: each IEP picks up where the previous one left the student.
    const baselineDate = addDays(iep.meetingDate, -rng.int(3, 10));
    const nextLevels: number[] = [];
    for (const [g, template] of templates.entries()) {
      const goalRef = refs.make("g");
      const sign = template.direction === "increase" ? 1 : -1;
      const spanYears = Math.max(0.5, daysBetween(baselineDate, iep.expirationDate) / 365);
      // A skill close to its ceiling was mastered: the new IEP targets the next skill instead.
      const fresh = rng.int(template.baseline[0], template.baseline[1]);
      const range = template.max - template.min;
      const nearCeiling = sign > 0 ? levels[g] > template.max - 0.25 * range : levels[g] < template.min + 0.1 * range;
      const baseline = clamp(round(nearCeiling ? fresh : levels[g], template), template);
      const gain = rng.int(template.yearlyGain[0], template.yearlyGain[1]) * spanYears;
      const target = round(Math.min(template.max - 0.05 * range, Math.max(template.min, baseline + sign * gain)), template);
      const provider = team.get(template.provider) ?? caseManager;
      const points = iep.dataUntil ? observe(ctx, template, baseline, target, baselineDate, iep.expirationDate, iep.effectiveDate, iep.dataUntil, response[g], g) : [];
      const masteryDate = firstMasteryDate(points, template, target);
      yield {
        table: "goals",
        ref: goalRef,
        fields: {
          iepId: id(iepRef),
          studentId: id(studentRef),
          organizationId: id(ctx.orgRef),
          goalNumber: g + 1,
          domain: template.domain,
          description: template.description.replace("{name}", firstName),
          baselineData: { measurement: template.measurement, date: baselineDate, value: baseline, context: template.conditions },
          targetCriteria: {
            measurement: template.measurement,
            target,
            timeframe: `by ${iep.expirationDate}`,
            accuracy: `${template.direction === "increase" ? "at least" : "at most"} ${target} ${template.unit} in ${template.masterySessions} consecutive sessions`,
            conditions: template.conditions,
          },
          direction: template.direction,
          targetDate: iep.expirationDate,
          masteryCriteria: { threshold: target, consecutiveSessions: template.masterySessions },
          evaluationMethod: template.evaluationMethod,
          frequency: template.frequency,
          responsibleProvider: id(provider.ref),
          isActive: iep.status !== "superseded" && iep.status !== "expired",
          masteryDate,
        },
      };
      for (const point of points) {
        yield* progressRecords(ctx, refs, template, point, baseline, target, goalRef, studentRef, provider);
      }
      nextLevels.push(points.length > 0 ? points[points.length - 1].trueValue : baseline);
    }
    levels = nextLevels;

    if (iep.dataUntil) yield* progressReportRecords(ctx, scenario, iep, studentRef, caseManager);
  }

  yield* documentRecords(ctx, refs, scenario, { studentRef, firstName, lastName, medical, ieps, caseManager, team, templates });
  yield* recordsRequestRecords(ctx, scenario, studentRef, rightsHolder);
  // Disclosures to outside parties (FERPA 99.32): the demo family's ledger always has one.
  if (isDemoStudent || rng.chance(0.03)) {
    const disclosedDate = addDays(today, -rng.int(10, 300));
    yield {
      table: "disclosures",
      fields: {
        studentId: id(studentRef),
        organizationId: id(ctx.orgRef),
        recipient: "Brightpath Pediatric Therapy (fictional)",
        recipientOrganization: "Brightpath Pediatric Therapy",
        purpose: "Coordination of outside speech-language services",
        legitimateInterest: "Parent's written consent on file",
        recordsDisclosed: "Current IEP and the latest progress report",
        disclosedDate,
        recordedBy: id(admin.ref),
        at: instantOn(disclosedDate, 14),
      },
    };
  }
}

function planIeps(ctx: OrgContext, refs: RefCounter, scenario: StudentScenario): PlannedIep[] {
  const { rng, today } = ctx;
  const yesterday = addDays(today, -1);
  const iep = (
    status: PlannedIep["status"],
    meetingDate: string,
    version: number,
    dataUntil: string | null,
    expiration?: string,
  ): PlannedIep => {
    const effectiveDate = addDays(meetingDate, rng.int(0, 7));
    return { ref: "", status, meetingDate, effectiveDate, expirationDate: expiration ?? addDays(meetingDate, 364), version, dataUntil };
  };
  const plans: PlannedIep[] = [];
  const withPrevious = (meeting: string): void => {
    const previousMeeting = addDays(meeting, -365 + rng.int(0, 10));
    plans.push(iep("superseded", previousMeeting, 1, addDays(meeting, -1), addDays(meeting, -1)));
  };
  switch (scenario.iep) {
    case "active":
    case "review_due_soon": {
      const meeting = addDays(today, scenario.iep === "active" ? -rng.int(30, 300) : -rng.int(320, 350));
      withPrevious(meeting);
      plans.push(iep("active", meeting, 2, yesterday));
      break;
    }
    case "active_with_draft":
    case "active_in_review": {
      const meeting = addDays(today, -rng.int(300, 340));
      withPrevious(meeting);
      plans.push(iep("active", meeting, 2, yesterday));
      const next = scenario.iep === "active_with_draft" ? addDays(today, rng.int(5, 25)) : addDays(today, -rng.int(1, 7));
      plans.push({ ...iep(scenario.iep === "active_with_draft" ? "draft" : "in_review", next, 3, null), effectiveDate: addDays(meeting, 365) });
      break;
    }
    case "expired": {
      const meeting = addDays(today, -rng.int(380, 450));
      withPrevious(meeting);
      const expired = iep("expired", meeting, 2, null);
      plans.push({ ...expired, dataUntil: expired.expirationDate });
      break;
    }
    case "exited": {
      const meeting = addDays(today, -rng.int(400, 600));
      const expired = iep("expired", meeting, 1, null);
      plans.push({ ...expired, dataUntil: expired.expirationDate });
      break;
    }
    case "eligible_draft":
      plans.push(iep("draft", addDays(today, rng.int(3, 12)), 1, null));
      break;
    case "referral":
      break;
  }
  return plans.map((plan) => ({ ...plan, ref: refs.make("iep") }));
}

function* evaluationRecords(ctx: OrgContext, scenario: StudentScenario, studentRef: string, ieps: PlannedIep[], evaluator: Staff): Generator<SeedRecord> {
  const { rng, today } = ctx;
  const base = { studentId: id(studentRef), organizationId: id(ctx.orgRef), createdBy: id(evaluator.ref), waived: false };
  if (scenario.iep === "referral") {
    // consent received 20–55 days ago: the 60-day clock is running (some due within 30 days)
    yield { table: "evaluations", fields: { ...base, kind: "initial", consentDate: addDays(today, -rng.int(20, 55)), notes: "Referred by the classroom teacher after tier 2 interventions." } };
    return;
  }
  if (scenario.iep === "eligible_draft") {
    const completed = addDays(today, -rng.int(12, 22));
    yield {
      table: "evaluations",
      fields: { ...base, kind: "initial", consentDate: addDays(completed, -rng.int(40, 55)), completedDate: completed, eligibilityDate: addDays(completed, 2) },
    };
    return;
  }
  const firstMeeting = ieps[0].meetingDate;
  let initialEligibility = addDays(firstMeeting, -rng.int(5, 25) - 365 * rng.int(0, 4));
  const last =
    scenario.reevaluation === "overdue"
      ? addDays(today, -1095 - rng.int(5, 60))
      : scenario.reevaluation === "due_soon"
        ? addDays(today, -1095 + rng.int(10, 50))
        : addDays(today, -rng.int(60, 1000));
  if (last <= initialEligibility) initialEligibility = addDays(last, -rng.int(0, 10));
  const initialCompleted = addDays(initialEligibility, -rng.int(1, 4));
  yield {
    table: "evaluations",
    fields: { ...base, kind: "initial", consentDate: addDays(initialCompleted, -rng.int(35, 58)), completedDate: initialCompleted, eligibilityDate: initialEligibility },
  };
  if (last > initialEligibility) {
    yield {
      table: "evaluations",
      fields: { ...base, kind: "reevaluation", consentDate: addDays(last, -rng.int(30, 55)), completedDate: last, eligibilityDate: last, notes: "Continued eligibility confirmed." },
    };
  }
}

interface Observation {
  date: string;
  value: number;
  trueValue: number;
}

function clamp(value: number, template: GoalTemplate): number {
  return Math.min(template.max, Math.max(template.min, value));
}

function round(value: number, template: GoalTemplate): number {
  return template.integer ? Math.round(value) : Math.round(value * 10) / 10;
}

/** Sessions on the goal's weekdays, with absences, a response-dependent trend and noise. */
function observe(
  ctx: OrgContext,
  template: GoalTemplate,
  baseline: number,
  target: number,
  baselineDate: string,
  targetDate: string,
  from: string,
  until: string,
  response: number,
  goalIndex: number,
): Observation[] {
  const { rng } = ctx;
  const aimPerDay = (target - baseline) / Math.max(1, daysBetween(baselineDate, targetDate));
  const sessionDays = template.sessionsPerWeek >= 2 ? [2, 4] : [1 + ((goalIndex * 2) % 5)];
  const everyOtherWeek = template.sessionsPerWeek < 1;
  const points: Observation[] = [];
  for (const date of schoolDaysBetween(from, until, ctx.years)) {
    if (!sessionDays.includes(dayOfWeek(date))) continue;
    if (everyOtherWeek && Math.floor(daysBetween(from, date) / 7) % 2 === 1) continue;
    if (rng.chance(0.08)) continue; // absent, assembly, testing day
    const trueValue = clamp(baseline + response * aimPerDay * daysBetween(baselineDate, date), template);
    const value = clamp(round(trueValue + rng.normal(0, template.noiseSd), template), template);
    points.push({ date, value, trueValue });
  }
  return points;
}

/** The same rule as progressMath.masteryMet, applied as the data arrives. */
function firstMasteryDate(points: Observation[], template: GoalTemplate, target: number): string | undefined {
  let run = 0;
  for (const point of points) {
    const met = template.direction === "increase" ? point.value >= target : point.value <= target;
    run = met ? run + 1 : 0;
    if (run >= template.masterySessions) return point.date;
  }
  return undefined;
}

const SETTINGS = ["General education classroom", "Resource room", "Therapy room", "Small-group room", "Playground"] as const;
const PROMPTS = ["independent", "gestural", "verbal", "model", "partial physical"] as const;
const NOTES = [
  "Student was tired after a late bus.",
  "Fire drill interrupted the session.",
  "Worked well with a visual timer.",
  "New substitute in the classroom today.",
  "Used the break card twice, then returned to task.",
  "Strong effort; asked for help appropriately.",
] as const;

function masteryLevelOf(value: number, baseline: number, target: number): "emerging" | "developing" | "proficient" | "mastered" {
  const share = target === baseline ? 1 : (value - baseline) / (target - baseline);
  if (share >= 0.95) return "mastered";
  if (share >= 0.6) return "proficient";
  if (share >= 0.25) return "developing";
  return "emerging";
}

function* progressRecords(
  ctx: OrgContext,
  refs: RefCounter,
  template: GoalTemplate,
  point: Observation,
  baseline: number,
  target: number,
  goalRef: string,
  studentRef: string,
  provider: Staff,
): Generator<SeedRecord> {
  const { rng } = ctx;
  const promptIndex = Math.max(0, Math.min(PROMPTS.length - 1, Math.round((1 - (point.value - baseline) / (target - baseline || 1)) * 3)));
  const fields = (value: number): SeedRecord["fields"] => ({
    goalId: id(goalRef),
    studentId: id(studentRef),
    organizationId: id(ctx.orgRef),
    recordedDate: point.date,
    recordedBy: id(provider.ref),
    measurementValue: value,
    measurementUnit: template.unit,
    observationNotes: rng.chance(0.1) ? rng.pick(NOTES) : undefined,
    masteryLevel: masteryLevelOf(value, baseline, target),
    sessionDuration: template.sessionMinutes,
    settingType: template.domain === "social" ? "Playground" : template.provider === "case_manager" ? rng.pick(SETTINGS.slice(0, 2)) : rng.pick(SETTINGS.slice(2, 4)),
    promptLevel: template.unit.startsWith("%") ? PROMPTS[promptIndex] : undefined,
    independenceLevel: promptIndex === 0 ? "independent" : promptIndex <= 2 ? "with minimal support" : "with substantial support",
  });
  // Now and then a value is mistyped and corrected: the raw record stays, a correction links to it.
  if (rng.chance(0.004)) {
    const ref = refs.make("p");
    const mistyped = template.integer ? point.value * 10 + 1 : point.value + 10;
    yield { table: "progressData", ref, fields: fields(mistyped) };
    yield { table: "progressData", fields: { ...fields(point.value), correctsId: id(ref), correctionReason: "Data entry error: extra digit typed." } };
    return;
  }
  yield { table: "progressData", fields: fields(point.value) };
}

function* progressReportRecords(ctx: OrgContext, scenario: StudentScenario, iep: PlannedIep, studentRef: string, caseManager: Staff): Generator<SeedRecord> {
  const { rng, today } = ctx;
  const ends = [...ctx.years[0].reportingPeriodEnds, ...ctx.years[1].reportingPeriodEnds].filter(
    (end) => end > iep.effectiveDate && end <= (iep.dataUntil as string) && end < today,
  );
  const skipLast = iep.status === "active" && scenario.progressReportMissing;
  for (const [i, end] of ends.entries()) {
    if (skipLast && i === ends.length - 1) continue;
    const reportDate = addDays(end, rng.int(0, 5));
    if (reportDate > today) continue;
    yield {
      table: "progressReports",
      fields: { studentId: id(studentRef), organizationId: id(ctx.orgRef), iepId: id(iep.ref), reportDate, issuedBy: id(caseManager.ref) },
    };
  }
}

interface DocumentContext {
  studentRef: string;
  firstName: string;
  lastName: string;
  medical: string | undefined;
  ieps: PlannedIep[];
  caseManager: Staff;
  team: Map<ProviderKind, Staff>;
  templates: GoalTemplate[];
}

function* documentRecords(ctx: OrgContext, refs: RefCounter, scenario: StudentScenario, d: DocumentContext): Generator<SeedRecord> {
  const { rng, today } = ctx;
  const latestIep = d.ieps.filter((i) => i.status !== "draft" && i.status !== "in_review").at(-1);
  const candidates: { type: string; title: string; confidential: boolean; body: string; iepRef?: string; by: Staff; tags: string[] }[] = [];
  const psychologist = d.team.get("psychologist");
  if (scenario.iep !== "referral") {
    candidates.push({
      type: "assessment",
      title: "Psychoeducational evaluation report",
      confidential: true,
      body: `Summary of cognitive, academic and adaptive assessment results. Eligibility category: ${scenario.disability}.`,
      by: psychologist ?? d.caseManager,
      tags: ["evaluation"],
    });
  }
  if (latestIep) {
    candidates.push({ type: "iep", title: `IEP signed ${latestIep.meetingDate}`, confidential: false, body: "Signed copy of the IEP provided to the parent at no cost.", iepRef: latestIep.ref, by: d.caseManager, tags: ["iep", "signed"] });
  }
  if (d.templates.some((t) => t.domain === "behavioral")) {
    candidates.push({ type: "behavioral", title: "Behavior intervention plan", confidential: false, body: "Target behaviors, antecedent strategies, replacement skills and data collection.", by: d.team.get("bcba") ?? d.caseManager, tags: ["BIP"] });
  }
  if (d.medical) {
    candidates.push({ type: "medical", title: "Individual health plan", confidential: true, body: d.medical, by: d.caseManager, tags: ["health"] });
  }
  candidates.push({ type: "communication", title: "Parent meeting notes", confidential: false, body: "Notes from a conference with the family about home routines and upcoming goals.", by: d.caseManager, tags: ["family"] });
  const chosen = candidates.slice(0, 2).concat(candidates.slice(2).filter(() => rng.chance(0.35)));
  for (const doc of chosen.slice(0, 3)) {
    const text = [
      "SEMS DEMO DOCUMENT - fictional data, not a real student.",
      `Student: ${d.firstName} ${d.lastName}`,
      `Title: ${doc.title}`,
      `Date: ${addDays(today, -rng.int(5, 200))}`,
      "",
      doc.body,
      "",
    ].join("\n");
    yield {
      table: "documents",
      ref: refs.make("doc"),
      fields: {
        studentId: id(d.studentRef),
        organizationId: id(ctx.orgRef),
        documentType: doc.type,
        title: doc.title,
        description: doc.confidential ? "Confidential: case manager, administrators and listed staff only." : undefined,
        storageId: { file: { mimeType: "text/plain", text } },
        fileSize: new TextEncoder().encode(text).length,
        mimeType: "text/plain",
        uploadedBy: id(doc.by.ref),
        isConfidential: doc.confidential,
        accessPermissions: doc.confidential && psychologist && doc.by !== psychologist ? [{ userId: id(psychologist.ref), permission: "view" }] : [],
        tags: doc.tags,
        relatedIepId: doc.iepRef ? id(doc.iepRef) : undefined,
      },
    };
  }
}

function* recordsRequestRecords(ctx: OrgContext, scenario: StudentScenario, studentRef: string, parent: Staff): Generator<SeedRecord> {
  const { rng, today } = ctx;
  const base = { studentId: id(studentRef), organizationId: id(ctx.orgRef), requestedBy: id(parent.ref), description: "Copies of all evaluation reports and the last two years of progress data." };
  switch (scenario.recordsRequest) {
    case "open":
      yield { table: "recordsRequests", fields: { ...base, requestedDate: addDays(today, -rng.int(3, 20)) } };
      break;
    case "overdue":
      yield { table: "recordsRequests", fields: { ...base, requestedDate: addDays(today, -rng.int(46, 60)) } };
      break;
    case "fulfilled": {
      const requested = addDays(today, -rng.int(30, 200));
      yield { table: "recordsRequests", fields: { ...base, requestedDate: requested, fulfilledDate: addDays(requested, rng.int(3, 20)) } };
      break;
    }
    case "none":
      break;
  }
}
