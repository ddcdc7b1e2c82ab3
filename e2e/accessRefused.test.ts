// Issue 6 §7: a parent who opens another child's URL, and a teacher who opens an unrelated
// student's URL, are refused: a clear "no access" page, and nothing of that student anywhere in
// the page's DOM (hidden elements, attributes and the title included).
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caseloadStudents, childrenPaths, organizationStudents, studentPages, type StudentPages } from "./demoPages";
import { DEMO_NAMES, type DemoRole } from "./people";
import { connectBrowser, goTo, navigate, openContext, settled } from "./suite";

const NO_ACCESS_EN = "You do not have access to this.";
const NO_ACCESS_ES = "No tiene acceso a esto.";
let browser: Browser;

interface Stranger extends StudentPages {
  studentNumber: string;
}

beforeAll(async () => {
  browser = await connectBrowser();
});

afterAll(async () => {
  await browser?.close();
});

/** The admin's view of a student: its pages and what identifies them (name, student number). */
async function strangerSeenByAdmin(page: Page, href: string): Promise<Stranger> {
  const pages = await studentPages(page, href);
  await navigate(page, href);
  const intro = await page.locator("main .intro").innerText();
  const studentNumber = intro.split(" · ")[1]!.trim();
  return { ...pages, studentNumber };
}

/** Whether the teacher appears on the student's Team tab (as the admin sees it). */
async function teacherOnTeam(page: Page, href: string): Promise<boolean> {
  await navigate(page, href);
  await page.getByRole("tab", { name: "Team" }).click();
  await settled(page);
  return (await page.locator("main [role=tabpanel]").innerText()).includes(DEMO_NAMES.teacher);
}

/** Opens each of the stranger's pages as `role` and checks the refusal and the DOM. */
async function expectRefused(role: DemoRole, stranger: Stranger, language: "en" | "es" = "en") {
  const context = await openContext(browser, { role });
  const page = await context.newPage();
  try {
    // The first URL is opened directly (a pasted link), the others by navigating in the app.
    await goTo(page, language === "es" ? "/" : stranger.student);
    if (language === "es") {
      await page.getByRole("combobox", { name: "Language" }).first().selectOption("es");
      await page.waitForFunction(() => document.documentElement.lang === "es");
    }
    for (const path of [stranger.student, stranger.iep, stranger.goal]) {
      await navigate(page, path);
      const heading = (await page.locator("main h1").first().innerText()).trim();
      expect(heading, `${role} on ${path}`).toBe(language === "es" ? NO_ACCESS_ES : NO_ACCESS_EN);
      // Said in the reader's language: the Spanish page carries no English server message.
      const alert = await page.getByRole("alert").first().innerText();
      expect(alert).toContain(language === "es" ? "Su cuenta no le da acceso" : "Your account does not give you access");
      const dom = (await page.content()) + (await page.title());
      for (const secret of [stranger.name, ...stranger.name.split(" "), stranger.studentNumber]) {
        expect(dom.includes(secret), `${role} on ${path}: "${secret}" in the DOM`).toBe(false);
      }
    }
  } finally {
    if (language === "es") await page.getByRole("combobox", { name: /^(Language|Idioma)$/ }).first().selectOption("en");
    await context.close();
  }
}

describe("pages of someone else's student are refused", () => {
  it("a parent who opens another child's student, IEP and goal URLs sees no access and none of the child's data", async () => {
    const parent = await openContext(browser, { role: "parent" });
    const own = await childrenPaths(await parent.newPage());
    await parent.close();
    const admin = await openContext(browser, { role: "admin" });
    const page = await admin.newPage();
    let stranger: Stranger | undefined;
    for (const href of (await organizationStudents(page)).filter((h) => !own.includes(h))) {
      try {
        stranger = await strangerSeenByAdmin(page, href);
        break;
      } catch {
        // No IEP or goal: the next student.
      }
    }
    await admin.close();
    expect(stranger, "another student with an IEP and a goal").toBeDefined();
    await expectRefused("parent", stranger!);
    await expectRefused("parent", stranger!, "es");
  });

  it("a teacher who opens an unrelated student's URLs sees no access and none of the student's data", async () => {
    const teacher = await openContext(browser, { role: "teacher" });
    const caseload = await caseloadStudents(await teacher.newPage());
    await teacher.close();
    const admin = await openContext(browser, { role: "admin" });
    const page = await admin.newPage();
    let stranger: Stranger | undefined;
    for (const href of (await organizationStudents(page)).filter((h) => !caseload.includes(h))) {
      if (await teacherOnTeam(page, href)) continue; // a team member may read the record
      try {
        stranger = await strangerSeenByAdmin(page, href);
        break;
      } catch {
        // No IEP or goal: the next student.
      }
    }
    await admin.close();
    expect(stranger, "a student the teacher has nothing to do with").toBeDefined();
    await expectRefused("teacher", stranger!);
  });
});
