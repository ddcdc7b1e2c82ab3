// What every e2e test file uses: the shared stack and browser (e2e/globalSetup.ts), a browser
// context per person (a demo role's saved session, or none), waits on UI state, screenshots under
// e2e/artifacts/ and the axe-core scan.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from "playwright-core";
import { expect, inject } from "vitest";
import { axeViolations } from "./axe";
import type { DemoRole } from "./people";

export const ARTIFACTS = path.join(path.dirname(fileURLToPath(import.meta.url)), "artifacts");
const UI_TIMEOUT = 20_000;

export function suiteStack() {
  return inject("sems");
}

export async function connectBrowser(): Promise<Browser> {
  return await chromium.connect(suiteStack().browserWsEndpoint);
}

export interface PersonOptions {
  role?: DemoRole;
  locale?: string;
  width?: number;
}

/** A fresh browser context: a demo person's saved session, or signed out. */
export async function openContext(browser: Browser, { role, locale = "en-US", width = 1280 }: PersonOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext({
    locale,
    viewport: { width, height: 900 },
    ...(role ? { storageState: suiteStack().sessions[role] } : {}),
  });
  context.setDefaultTimeout(UI_TIMEOUT);
  return context;
}

/** Opens a page of the web app in the context and waits for its main heading. */
export async function openPage(context: BrowserContext, route: string): Promise<Page> {
  const page = await context.newPage();
  await goTo(page, route);
  return page;
}

export async function goTo(page: Page, route: string): Promise<void> {
  await page.goto(`${suiteStack().webUrl}${route}`);
  await mainHeading(page).waitFor();
}

export function mainHeading(page: Page): Locator {
  return page.locator("main h1").first();
}

/**
 * Moves to another route inside the running app (the router's own history navigation), without
 * reloading it: no new session check, token or WebSocket per page. Waits for the new page.
 */
export async function navigate(page: Page, route: string): Promise<void> {
  const here = new URL(page.url());
  if (here.pathname + here.search === route) return await settled(page);
  // The heading on screen now is marked, so the wait below cannot mistake it for the next page's.
  await page.evaluate((to) => {
    document.querySelector("main h1")?.setAttribute("data-e2e-previous", "");
    window.history.pushState(null, "", to);
    window.dispatchEvent(new PopStateEvent("popstate"));
  }, route);
  await page.locator("main h1:not([data-e2e-previous])").first().waitFor();
  await settled(page);
}

/** Waits until the page shows its main heading and nothing on it is still loading. */
export async function settled(page: Page): Promise<void> {
  await mainHeading(page).waitFor();
  await page.waitForFunction(() => !/Loading…|Cargando…/.test(document.body.innerText));
}

/** The distinct `href`s of the links matching `selector`, in page order. */
export async function hrefs(page: Page, selector: string): Promise<string[]> {
  const all = await page.locator(selector).evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
  return [...new Set(all.filter(Boolean))];
}

/** Waits until the locator is visible (UI state, never a fixed delay). */
export async function visible(locator: Locator): Promise<Locator> {
  await locator.first().waitFor({ state: "visible" });
  return locator;
}

/** A full-page screenshot under e2e/artifacts/ (gitignored), for a person to look at. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const file = path.join(ARTIFACTS, `${name}.png`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Toasts are transient: hidden, so the picture shows the page itself.
  await page.screenshot({ path: file, fullPage: true, style: ".toasts { visibility: hidden; }" });
  return file;
}

/** No axe-core violations (WCAG 2.1 A/AA and best practices) on the page as it is now. */
export async function expectNoAxeViolations(page: Page, label: string): Promise<void> {
  const violations = await axeViolations(page);
  const summary = violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(summary, `axe on ${label} (${page.url()})`).toEqual([]);
}

/** The text of <main>, for checks that nothing of a record is shown. */
export async function mainText(page: Page): Promise<string> {
  return await page.locator("main").innerText();
}
