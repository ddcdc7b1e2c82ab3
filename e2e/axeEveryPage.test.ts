// Issue 6 §8: every route of the app, for each role that may see it, in English and in Spanish,
// passes axe-core (WCAG 2.1 A/AA and best practices). The student page is scanned tab by tab and
// the goal page in both its views. Each page is saved as a screenshot under e2e/artifacts/axe/
// for a person to look at. The pages' ids are found by following the app's own links.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeViolations } from "./axe";
import { caseloadStudentPages, caseloadStudents, childrenPaths, studentPages, type StudentPages } from "./demoPages";
import type { DemoRole } from "./people";
import { connectBrowser, goTo, hrefs, navigate, openContext, screenshot, settled } from "./suite";

type Language = "en" | "es";
type Person = DemoRole | "signedOut";
interface Visit {
  slug: string;
  path: string;
  /** Scan every tab of the page's first tab list (the student page, the goal page). */
  tabs?: boolean;
}

const LANGUAGE_MENU = /^(Language|Idioma)$/;
let browser: Browser;
const visits = {} as Record<Person, Visit[]>;

function staffVisits(pages: StudentPages): Visit[] {
  return [
    { slug: "home", path: "/" },
    { slug: "students", path: "/students" },
    { slug: "student", path: pages.student, tabs: true },
    { slug: "goal", path: pages.goal, tabs: true },
    { slug: "iep", path: pages.iep },
    { slug: "settings", path: "/settings" },
    { slug: "not-found", path: "/no-such-page" },
  ];
}

/** A student of the teacher's caseload whose page the specialist may open (the specialist's team). */
async function specialistStudentPages(teacherCaseload: string[]): Promise<StudentPages> {
  const context = await openContext(browser, { role: "specialist" });
  try {
    const page = await context.newPage();
    for (const student of teacherCaseload) {
      await goTo(page, student);
      await settled(page);
      if ((await page.getByRole("tab").count()) === 0) continue; // refused: not on this student's team
      try {
        return await studentPages(page, student);
      } catch {
        // No IEP or goal yet: the next student.
      }
    }
    throw new Error("The demo specialist is on no team of the demo teacher's caseload");
  } finally {
    await context.close();
  }
}

beforeAll(async () => {
  browser = await connectBrowser();
  const teacher = await openContext(browser, { role: "teacher" });
  const teacherPages = await caseloadStudentPages(teacher);
  const caseload = await caseloadStudents(await teacher.newPage());
  await teacher.close();

  const parent = await openContext(browser, { role: "parent" });
  const parentPage = await parent.newPage();
  const [child] = await childrenPaths(parentPage);
  const childPages = await studentPages(parentPage, child);
  await parent.close();

  const student = await openContext(browser, { role: "student" });
  const studentPage = await student.newPage();
  await goTo(studentPage, "/");
  await settled(studentPage);
  const [ownGoal] = await hrefs(studentPage, "main a[href^='/goals/']");
  await student.close();

  visits.signedOut = [
    { slug: "sign-in", path: "/sign-in" },
    { slug: "forgot-password", path: "/forgot-password" },
    { slug: "reset-password", path: "/reset-password?token=e2e-not-a-token" },
    { slug: "accept-invitation", path: "/accept-invite?token=e2e-not-a-token" },
  ];
  visits.admin = [
    ...staffVisits(teacherPages),
    { slug: "admin-users", path: "/admin/users" },
    { slug: "admin-organization", path: "/admin/organization" },
    { slug: "admin-mailbox", path: "/admin/mailbox" },
  ];
  visits.teacher = staffVisits(teacherPages);
  visits.specialist = staffVisits(await specialistStudentPages(caseload));
  visits.parent = [
    { slug: "home", path: "/" },
    { slug: "student", path: childPages.student, tabs: true },
    { slug: "goal", path: childPages.goal, tabs: true },
    { slug: "iep", path: childPages.iep },
    { slug: "settings", path: "/settings" },
  ];
  visits.student = [
    { slug: "home", path: "/" },
    ...(ownGoal ? [{ slug: "goal", path: ownGoal, tabs: true }] : []),
    { slug: "settings", path: "/settings" },
  ];
});

afterAll(async () => {
  await browser?.close();
});

/** The language menu (signed in: a saved preference, set back to English at the end). */
async function chooseLanguage(page: Page, language: Language) {
  // The banner's menu comes first (the settings page has a language field too).
  await page.getByRole("combobox", { name: LANGUAGE_MENU }).first().selectOption(language);
  await page.waitForFunction((lang) => document.documentElement.lang === lang, language);
}

async function scan(page: Page, label: string, problems: string[]) {
  await settled(page);
  for (const v of await axeViolations(page)) {
    problems.push(`${label} ${new URL(page.url()).pathname}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  }
  // Nothing is cut off at the 1280 px the contexts use (a table wider than the page, say).
  const overflowing = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    return [...document.querySelectorAll("main *")]
      .filter((element) => element.getBoundingClientRect().right > width + 1)
      .slice(0, 3)
      .map((element) => `${element.tagName.toLowerCase()}.${element.className}`);
  });
  if (overflowing.length) problems.push(`${label} ${new URL(page.url()).pathname}: wider than the window: ${overflowing.join(", ")}`);
  await screenshot(page, `axe/${label}`);
}

async function scanVisit(page: Page, person: Person, language: Language, visit: Visit, problems: string[]) {
  await navigate(page, visit.path);
  const label = `${person}-${language}-${visit.slug}`;
  expect(await page.evaluate(() => document.documentElement.lang), label).toBe(language);
  await scan(page, label, problems);
  if (!visit.tabs) return;
  const tabs = page.locator("main [role=tablist]").first().getByRole("tab");
  const count = await tabs.count();
  expect(count, `${label} has tabs`).toBeGreaterThan(1);
  for (let index = 1; index < count; index++) {
    await tabs.nth(index).click();
    await tabs.nth(index).and(page.locator("[aria-selected=true]")).waitFor();
    await scan(page, `${label}-tab${index + 1}`, problems);
  }
}

const PEOPLE: Person[] = ["signedOut", "admin", "teacher", "specialist", "parent", "student"];

// One person at a time: concurrent sign-in checks trip a backend bug (Better Auth's request
// state is shared between HTTP actions that run at once — see the e2e report).
describe("axe on every page, per role, in English and Spanish", () => {
  for (const person of PEOPLE) {
    it(`${person}: every page in English and in Spanish`, async () => {
      const context: BrowserContext = await openContext(browser, { role: person === "signedOut" ? undefined : person });
      const page = await context.newPage();
      const problems: string[] = [];
      try {
        await goTo(page, visits[person][0]!.path);
        for (const language of ["en", "es"] as const) {
          await chooseLanguage(page, language);
          for (const visit of visits[person]) await scanVisit(page, person, language, visit, problems);
        }
      } finally {
        await chooseLanguage(page, "en");
        await context.close();
      }
      expect(problems).toEqual([]);
    });
  }
});
