// Finds pages of the demo district the way a person would: by following links in the app as one
// of the demo people (no ids are hard-coded; the demo loader's ids differ on every stack).
import type { BrowserContext, Page } from "playwright-core";
import { goTo, hrefs, settled, visible } from "./suite";

export interface StudentPages {
  name: string;
  student: string;
  goal: string;
  iep: string;
}

async function openTab(page: Page, name: RegExp | string) {
  await page.getByRole("tab", { name }).click();
  await settled(page);
}

/** The student page's first IEP (IEP history tab) and first goal (Goals tab) links. */
export async function studentPages(page: Page, studentPath: string): Promise<StudentPages> {
  await goTo(page, studentPath);
  await settled(page);
  const name = (await page.locator("main h1").innerText()).trim();
  await openTab(page, /^(IEP history|Historial de IEP)$/);
  const [iep] = await hrefs(page, "main [role=tabpanel] a[href^='/ieps/']");
  await openTab(page, /^(Goals|Metas)$/);
  const [goal] = await hrefs(page, "main [role=tabpanel] a[href^='/goals/']");
  if (!iep || !goal) throw new Error(`${name} (${studentPath}) has no IEP or no goal`);
  return { name, student: studentPath, iep, goal };
}

/** The caseload's student links, in the order the caseload table lists them. */
export async function caseloadStudents(page: Page): Promise<string[]> {
  await goTo(page, "/");
  await settled(page);
  await visible(page.locator("main tbody tr"));
  return await hrefs(page, "main tbody a[href^='/students/']");
}

/** A student of the signed-in case manager's caseload who has an IEP and goals. */
export async function caseloadStudentPages(context: BrowserContext): Promise<StudentPages> {
  const page = await context.newPage();
  try {
    for (const student of await caseloadStudents(page)) {
      try {
        return await studentPages(page, student);
      } catch {
        // No IEP or no goal yet (a referral): the next one.
      }
    }
    throw new Error("No student of the caseload has an IEP and a goal");
  } finally {
    await page.close();
  }
}

/** The parent's children's pages, from the parent's home. */
export async function childrenPaths(page: Page): Promise<string[]> {
  await goTo(page, "/");
  await settled(page);
  await visible(page.locator("main a[href^='/students/']"));
  return await hrefs(page, "main a[href^='/students/']");
}

/** Every student link of the admin's organization dashboard (the admin home). */
export async function organizationStudents(page: Page): Promise<string[]> {
  await goTo(page, "/");
  await settled(page);
  await visible(page.locator("main tbody a[href^='/students/']"));
  return await hrefs(page, "main tbody a[href^='/students/']");
}
