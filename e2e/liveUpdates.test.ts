// Issue 6 §6: a second browser sees changes live. Two people, each in their own browser context,
// both on a page; one changes something and the other's page follows without a reload. The pages
// are never reloaded after the change: every wait is on the UI state of the page already open.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localIsoDate } from "../src/features/iep/isoDates";
import { caseloadStudentPages, caseloadStudents, organizationStudents } from "./demoPages";
import { DEMO_NAMES } from "./people";
import { connectBrowser, goTo, navigate, openContext, settled, visible } from "./suite";

const TEACHER_OPTION = "Brightwater, Riley (Teacher)";
let browser: Browser;
let admin: BrowserContext;
let adminPage: Page;
let teacher: BrowserContext;
let teacherPage: Page;

beforeAll(async () => {
  browser = await connectBrowser();
  admin = await openContext(browser, { role: "admin" });
  adminPage = await admin.newPage();
  teacher = await openContext(browser, { role: "teacher" });
  teacherPage = await teacher.newPage();
});

afterAll(async () => {
  await admin?.close();
  await teacher?.close();
  await browser?.close();
});

async function changeCaseManager(page: Page, option: string) {
  await page.getByLabel("New case manager").selectOption({ label: option });
  await page.getByRole("button", { name: "Change the case manager" }).click();
}

function caseManagerShown(page: Page, name: string) {
  return visible(page.locator("main [role=tabpanel] p strong").filter({ hasText: name }));
}

describe("a second browser sees changes live", () => {
  it("a case-manager change adds the student to the teacher's open caseload, and moving them back removes it", async () => {
    const caseload = await caseloadStudents(teacherPage);
    // Not on the teacher's caseload and not the demo parent's children (iepLifecycle's story).
    const candidates = (await organizationStudents(adminPage)).filter((href) => !caseload.includes(href));
    const names = await adminPage.locator("main tbody a[href^='/students/']").evaluateAll((links) =>
      Object.fromEntries(links.map((a) => [a.getAttribute("href"), a.textContent ?? ""])),
    );
    const student = candidates.find((href) => !names[href]?.includes(DEMO_NAMES.parent.split(" ")[1]!))!;
    expect(student, "a student of another case manager").toBeTruthy();

    await navigate(adminPage, student);
    await adminPage.getByRole("tab", { name: "Team" }).click();
    await settled(adminPage);
    const previousManager = (await adminPage.locator("main [role=tabpanel] p strong").first().innerText()).trim();
    await changeCaseManager(adminPage, TEACHER_OPTION);
    await caseManagerShown(adminPage, DEMO_NAMES.teacher);

    // The teacher's caseload, open since before the change, gains the row.
    const row = teacherPage.locator(`main tbody a[href='${student}']`);
    await visible(row);
    expect(await teacherPage.locator("main tbody a[href^='/students/']").count()).toBe(caseload.length + 1);

    // Back to the previous case manager: the row leaves the teacher's open caseload.
    const [first, ...rest] = previousManager.split(" ");
    const back = (await adminPage.getByLabel("New case manager").locator("option").allInnerTexts()).find((o) => o.startsWith(`${rest.join(" ")}, ${first} (`));
    expect(back, `${previousManager} in the case-manager menu`).toBeTruthy();
    await changeCaseManager(adminPage, back!);
    await caseManagerShown(adminPage, previousManager);
    await row.waitFor({ state: "detached" });
    expect(await teacherPage.locator("main tbody a[href^='/students/']").count()).toBe(caseload.length);
  });

  it("a measurement the teacher records appears on the admin's open goal page", async () => {
    const pages = await caseloadStudentPages(teacher);
    await goTo(adminPage, pages.goal);
    await settled(adminPage);
    await adminPage.getByRole("tab", { name: "Table" }).click();
    const adminTable = adminPage.getByRole("tabpanel");
    const rowsBefore = await adminTable.getByRole("row").count();

    await navigate(teacherPage, pages.goal);
    const note = `e2e live ${Date.now().toString(36)}`;
    // The goal's baseline value: a plausible measurement for whatever the goal measures.
    const baseline = await teacherPage.locator("main dl.facts dd").first().innerText();
    const value = Number.parseFloat(/-?[\d.]+/.exec(baseline.replace(/,/g, ""))?.[0] ?? "1");
    await teacherPage.getByLabel(/^Date\b/).fill(localIsoDate());
    await teacherPage.getByLabel(/^Value \(/).fill(String(value));
    await teacherPage.getByLabel("Notes").fill(note);
    await teacherPage.getByRole("button", { name: "Record", exact: true }).click();

    // The admin's table, open since before, shows the new measurement with its note.
    await visible(adminTable.getByText(note));
    expect(await adminTable.getByRole("row").count()).toBe(rowsBefore + 1);
  });
});
