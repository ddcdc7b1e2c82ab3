// The IEP's life in the browser, end to end, as one story on the demo district:
// an admin invites a teacher (the link comes from the development mailbox), who sets a password
// and signs in; the admin hands the teacher a student; the teacher drafts a new IEP with goals,
// records progress and submits it; the parent, in Spanish, reads it and signs; the admin signs
// last and the new IEP is active while the previous one is superseded; the goal graph shows the
// trend. The steps share state, so they run in order.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDaysIso, localIsoDate } from "../src/features/iep/isoDates";
import { DEMO_NAMES, signInThroughPage } from "./people";
import { connectBrowser, expectNoAxeViolations, goTo, mainHeading, mainText, openContext, openPage, screenshot, suiteStack, visible } from "./suite";

const stack = suiteStack();
// Unique per run so a reused stack (SEMS_E2E_WEB_URL) can run the story again.
const run = Date.now().toString(36);
const teacher = { firstName: "Quinn", lastName: `Ashgrove${run}`, email: `quinn.${run}@demo.sems.test`, password: "a-long-teacher-password" };
const teacherName = `${teacher.firstName} ${teacher.lastName}`;
const today = localIsoDate();
const LANGUAGE_MENU = /^(Language|Idioma)$/;
// Six measurements over four weeks, rising: enough for a decision (6 points over 3 weeks).
const measurements = [
  { daysAgo: 28, value: 42 },
  { daysAgo: 23, value: 46 },
  { daysAgo: 18, value: 51 },
  { daysAgo: 12, value: 55 },
  { daysAgo: 7, value: 60 },
  { daysAgo: 2, value: 64 },
];

let browser: Browser;
let admin: BrowserContext;
let adminPage: Page;
let teacherContext: BrowserContext;
let teacherPage: Page;
const child = { name: "", path: "" };
let iepPath = "";
let previousIepVersion = "";
let goalPath = "";

beforeAll(async () => {
  browser = await connectBrowser();
  admin = await openContext(browser, { role: "admin" });
  adminPage = await admin.newPage();
  teacherContext = await openContext(browser);
  teacherPage = await teacherContext.newPage();
  // The student of the story: the demo parent's younger child (not Maya), found as the parent sees it.
  const parent = await openContext(browser, { role: "parent" });
  const home = await openPage(parent, "/");
  const link = await visible(home.locator("main a[href^='/students/']").filter({ hasNotText: DEMO_NAMES.student }));
  child.name = (await link.first().innerText()).trim();
  child.path = (await link.first().getAttribute("href"))!;
  await parent.close();
});

afterAll(async () => {
  await admin?.close();
  await teacherContext?.close();
  await browser?.close();
});

async function openTab(page: Page, name: string) {
  await page.getByRole("tab", { name }).click();
  await visible(page.getByRole("tabpanel"));
}

describe("an IEP from invitation to activation", () => {
  it("1. an admin invites a teacher, who sets a password from the mailed link and signs in", async () => {
    await goTo(adminPage, "/admin/users");
    const invite = adminPage.locator("form").filter({ has: adminPage.getByRole("heading", { name: "Invite a user" }) });
    await invite.getByLabel("First name").fill(teacher.firstName);
    await invite.getByLabel("Last name").fill(teacher.lastName);
    await invite.getByLabel("Email address").fill(teacher.email);
    await invite.getByLabel("Role").selectOption("teacher");
    await invite.getByRole("button", { name: "Invite a user" }).click();
    await visible(adminPage.getByRole("rowheader", { name: teacher.email }));
    await screenshot(adminPage, "admin-users");

    await adminPage.getByRole("link", { name: "Mailbox" }).click();
    const mail = await visible(adminPage.locator("article").filter({ hasText: `To: ${teacher.email}` }));
    const link = mail.first().locator("a[href*='/accept-invite?token=']");
    const invitationUrl = (await link.getAttribute("href"))!;
    expect(invitationUrl.startsWith(`${stack.webUrl}/accept-invite?token=`)).toBe(true);
    await expectNoAxeViolations(adminPage, "mailbox");
    await screenshot(adminPage, "admin-mailbox");

    await teacherPage.goto(invitationUrl);
    await visible(teacherPage.getByText(`This account is for ${teacherName} (${teacher.email})`));
    await expectNoAxeViolations(teacherPage, "accept invitation");
    await screenshot(teacherPage, "accept-invitation");
    await teacherPage.getByLabel(/^New password/).fill(teacher.password);
    await teacherPage.getByLabel("Confirm the new password").fill(teacher.password);
    await teacherPage.getByRole("button", { name: "Create my password" }).click();
    await teacherPage.waitForURL((url) => url.pathname === "/");
    await visible(teacherPage.getByText(`Signed in as ${teacherName}`));

    // The password works for a later sign-in too.
    await teacherPage.getByRole("button", { name: "Sign out" }).click();
    await teacherPage.waitForURL((url) => url.pathname.startsWith("/sign-in"));
    await signInThroughPage(teacherPage, stack.webUrl, teacher.email, teacher.password);
    await visible(teacherPage.getByRole("heading", { level: 1, name: "My caseload" }));
    await visible(teacherPage.getByText("No students are on your caseload."));
  });

  it("2. the teacher drafts an IEP with goals, records progress and submits it", async () => {
    // The admin makes the new teacher the child's case manager; the caseload updates live.
    await goTo(adminPage, child.path);
    await openTab(adminPage, "Team");
    await adminPage.getByLabel("New case manager").selectOption({ label: `${teacher.lastName}, ${teacher.firstName} (Teacher)` });
    await adminPage.getByRole("button", { name: "Change the case manager" }).click();
    await visible(adminPage.locator("main").getByText(teacherName, { exact: true }));
    // The teacher's open caseload (still the page of step 1, not reloaded) lists "Last, First".
    const [first, ...rest] = child.name.split(" ");
    const caseloadLink = await visible(teacherPage.locator("main").getByRole("link", { name: `${rest.join(" ")}, ${first}` }));

    await caseloadLink.first().click();
    await visible(teacherPage.getByRole("heading", { level: 1, name: child.name }));
    await openTab(teacherPage, "IEP history");
    const activeRow = await visible(teacherPage.getByRole("row").filter({ hasText: "Active" }));
    previousIepVersion = (await activeRow.first().getByRole("rowheader").innerText()).trim();
    await teacherPage.getByRole("button", { name: "Start a new IEP" }).click();
    await teacherPage.getByLabel("Placement").fill("General education classroom with resource room support, 5 hours a week");
    await teacherPage.getByRole("button", { name: "Create the draft" }).click();
    await teacherPage.waitForURL(/\/ieps\//);
    await visible(teacherPage.getByRole("heading", { level: 1, name: /· Draft$/ }));
    iepPath = new URL(teacherPage.url()).pathname;

    // Edit a section of the draft: an accommodation.
    await teacherPage.getByRole("button", { name: "Edit this draft" }).click();
    await teacherPage.getByRole("button", { name: "Add: Accommodations" }).click();
    const accommodation = teacherPage.getByRole("group", { name: "Accommodations 1" });
    await accommodation.getByLabel("Category").fill("Testing");
    await accommodation.getByLabel("Description").fill("Extended time (1.5x) on tests");
    await accommodation.getByLabel("Setting").fill("All classes");
    await teacherPage.getByRole("button", { name: "Save", exact: true }).click();
    await visible(teacherPage.locator("main").getByText("Extended time (1.5x) on tests"));

    // Two goals.
    const goals = [
      { domain: "academic", description: "Reads grade-level passages aloud at 90 words correct per minute", unit: "words correct per minute", baseline: "40", target: "90" },
      { domain: "communication", description: "Asks for help with a complete sentence in 4 of 5 opportunities", unit: "percent of opportunities", baseline: "20", target: "80" },
    ];
    for (const goal of goals) {
      await teacherPage.getByRole("button", { name: "Add a goal" }).click();
      const form = teacherPage.locator("form").filter({ has: teacherPage.getByRole("heading", { name: "New goal" }) });
      await form.getByLabel("Domain").selectOption(goal.domain);
      await form.getByLabel("Goal description").fill(goal.description);
      await form.getByLabel("Measure (unit)").fill(goal.unit);
      await form.getByLabel("Baseline value").fill(goal.baseline);
      await form.getByLabel("Baseline date").fill(addDaysIso(today, -35));
      await form.getByLabel("Target value").fill(goal.target);
      await form.getByLabel("Evaluation method").fill("Weekly probe");
      await form.getByLabel("Data collection frequency").fill("Weekly");
      await expect.poll(() => form.getByLabel("Responsible provider").inputValue()).not.toBe("");
      await form.getByRole("button", { name: "Add a goal" }).click();
      await visible(teacherPage.getByRole("link", { name: new RegExp(`\\d\\. ${goal.description}`) }));
    }
    await expectNoAxeViolations(teacherPage, "draft IEP");
    await screenshot(teacherPage, "teacher-iep-draft");

    // Progress on the first goal, typed date by date.
    await teacherPage.getByRole("link", { name: `1. ${goals[0].description}` }).click();
    await visible(teacherPage.getByRole("heading", { name: "Record a measurement" }));
    goalPath = new URL(teacherPage.url()).pathname;
    for (const [index, m] of measurements.entries()) {
      await teacherPage.getByLabel(/^Date\b/).fill(addDaysIso(today, -m.daysAgo));
      await teacherPage.getByLabel("Value (words correct per minute)").fill(String(m.value));
      await teacherPage.getByRole("button", { name: "Record", exact: true }).click();
      await visible(teacherPage.getByText(`Based on ${index + 1} data point`));
    }
    await screenshot(teacherPage, "teacher-goal-with-progress");

    // Submit for review, then sign as the case manager.
    await goTo(teacherPage, iepPath);
    await teacherPage.getByRole("button", { name: "Submit for review" }).click();
    await visible(teacherPage.getByRole("heading", { level: 1, name: /· In review$/ }));
    await teacherPage.getByRole("button", { name: "Sign", exact: true }).click();
    const dialog = teacherPage.getByRole("dialog");
    await dialog.getByLabel("Full name").fill(teacherName);
    await expectNoAxeViolations(teacherPage, "sign dialog");
    await screenshot(teacherPage, "teacher-sign-dialog");
    await dialog.getByRole("button", { name: "Sign", exact: true }).click();
    await visible(teacherPage.getByText(new RegExp(`${teacherName} signed as case manager`)));
  });

  it("3. the parent, in Spanish, reads the draft and signs", async () => {
    const parent = await openContext(browser, { role: "parent" });
    try {
      const page = await openPage(parent, "/");
      await page.getByRole("combobox", { name: LANGUAGE_MENU }).selectOption("es");
      await visible(page.getByRole("heading", { level: 1, name: "Mis hijos" }));
      expect(await page.evaluate(() => document.documentElement.lang)).toBe("es");
      // The home shows the IEP waiting for the parent's signature.
      await visible(page.getByText("Este IEP espera su firma."));
      await page.locator(`main a[href='${iepPath}']`).click();
      await visible(page.getByRole("heading", { level: 1, name: /· En revisión$/ }));
      const text = await mainText(page);
      expect(text).toContain("Extended time (1.5x) on tests");
      expect(text).toContain("Reads grade-level passages aloud at 90 words correct per minute");
      await expectNoAxeViolations(page, "IEP in review, parent, Spanish");
      await screenshot(page, "parent-es-iep-in-review");
      await page.getByRole("button", { name: "Firmar", exact: true }).click();
      const dialog = page.getByRole("dialog");
      await dialog.getByLabel("Nombre completo").fill(DEMO_NAMES.parent);
      await dialog.getByRole("button", { name: "Firmar", exact: true }).click();
      await visible(page.getByText(new RegExp(`${DEMO_NAMES.parent} firmó como`)));
      expect(await mainHeading(page).innerText()).toMatch(/· En revisión$/);
    } finally {
      // Back to English (a saved preference) for the other files that use this demo session.
      const page = await openPage(parent, "/");
      await page.getByRole("combobox", { name: LANGUAGE_MENU }).selectOption("en");
      await visible(page.getByRole("heading", { level: 1, name: "My children" }));
      await parent.close();
    }
  });

  it("4. the admin signs, the IEP becomes active and the previous one is superseded", async () => {
    await goTo(adminPage, iepPath);
    await adminPage.getByRole("button", { name: "Sign", exact: true }).click();
    const dialog = adminPage.getByRole("dialog");
    await dialog.getByLabel("Full name").fill(DEMO_NAMES.admin);
    await dialog.getByRole("button", { name: "Sign", exact: true }).click();
    await visible(adminPage.getByRole("heading", { level: 1, name: /· Active$/ }));
    const signatures = await mainText(adminPage);
    for (const role of ["case manager", "parent or guardian", "district representative"]) expect(signatures).toContain(`signed as ${role}`);
    await screenshot(adminPage, "admin-iep-active");

    // The teacher's open student page follows live: new version active, the previous superseded.
    await goTo(teacherPage, child.path);
    await openTab(teacherPage, "IEP history");
    const newVersion = await mainHeading(adminPage).innerText();
    await visible(teacherPage.getByRole("row").filter({ hasText: newVersion.split(" · ")[0] }).filter({ hasText: "Active" }));
    await visible(teacherPage.getByRole("row").filter({ has: teacherPage.getByRole("rowheader", { name: previousIepVersion, exact: true }) }).filter({ hasText: "Superseded" }));
    await expect.poll(() => teacherPage.getByRole("row").filter({ hasText: "Active" }).count()).toBe(1);
    await screenshot(teacherPage, "teacher-iep-history");
  });

  it("5. the goal graph shows the trend and the decision", async () => {
    await goTo(teacherPage, goalPath);
    const chart = await visible(teacherPage.getByTestId("progress-chart"));
    await visible(chart.locator("[data-series='trend']"));
    // The trend rises: its right end is higher on screen (smaller y) than its left end.
    const trend = chart.locator("[data-series='trend']");
    const [y1, y2] = await Promise.all([trend.getAttribute("y1"), trend.getAttribute("y2")]);
    expect(Number(y2)).toBeLessThan(Number(y1));
    const decision = await teacherPage.getByRole("status").filter({ hasText: "Decision" }).innerText();
    expect(decision).toContain("Based on 6 data points");
    expect(decision).toMatch(/Trend: [\d.]+ per week/);
    await expectNoAxeViolations(teacherPage, "goal graph");
    await screenshot(teacherPage, "teacher-goal-graph");
    await teacherPage.getByRole("tab", { name: "Table" }).click();
    await expect.poll(async () => (await teacherPage.getByRole("tabpanel").getByRole("row").count()) > measurements.length).toBe(true);
    await expectNoAxeViolations(teacherPage, "goal table");
    await screenshot(teacherPage, "teacher-goal-table");
  });
});
