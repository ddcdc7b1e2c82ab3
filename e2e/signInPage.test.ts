// Smoke test of the stack `npm start` runs: the built web app is served, the sign-in page renders
// in headless Chromium, passes axe-core (WCAG 2.1 AA), loads only its own code (route-level
// splitting) within the 250 KB gzip budget, and shows Spanish when asked.
import fs from "node:fs";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeViolations } from "./axe";
import { connectBrowser, suiteStack } from "./suite";

const SIGN_IN_JS_BUDGET_GZIP = 250 * 1024;
const stack = suiteStack();
let browser: Browser;

beforeAll(async () => {
  browser = await connectBrowser();
});

afterAll(async () => {
  await browser?.close();
});

describe("the sign-in page served by npm start", () => {
  it("renders, passes axe and stays within its JavaScript budget", async () => {
    const page = await browser.newPage({ locale: "en-US" });
    const scripts: string[] = [];
    page.on("response", (response) => {
      const url = new URL(response.url());
      if (url.pathname.startsWith("/assets/") && url.pathname.endsWith(".js")) scripts.push(path.basename(url.pathname));
    });
    const response = await page.goto(`${stack.webUrl}/sign-in`);
    expect(response?.status()).toBe(200);
    await expect.poll(() => page.getByRole("heading", { level: 1, name: "Sign in" }).count(), { timeout: 20_000 }).toBe(1);
    expect(await page.getByLabel("Email address").count()).toBe(1);
    expect(await page.getByLabel("Password").count()).toBe(1);

    const violations = await axeViolations(page);
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);

    // Route-level code splitting: the staff pages' code is not part of the sign-in page.
    expect(scripts.some((name) => /^(GoalPage|IepPage|StudentPage|UsersPage)-/.test(name))).toBe(false);
    const distAssets = path.resolve("dist", "assets");
    const gzipBytes = scripts.reduce((sum, name) => sum + fs.statSync(path.join(distAssets, `${name}.gz`)).size, 0);
    expect(gzipBytes).toBeGreaterThan(0);
    expect(gzipBytes).toBeLessThanOrEqual(SIGN_IN_JS_BUDGET_GZIP);
    await page.close();
  });

  it("serves client routes with the SPA fallback and refuses unknown assets", async () => {
    const page = await browser.newPage();
    expect((await page.goto(`${stack.webUrl}/students/some-id`))?.status()).toBe(200);
    const missing = await page.request.get(`${stack.webUrl}/assets/missing.js`);
    expect(missing.status()).toBe(404);
    await page.close();
  });

  it("switches to Spanish from the language menu", async () => {
    const page = await browser.newPage({ locale: "en-US" });
    await page.goto(`${stack.webUrl}/sign-in`);
    await page.getByRole("combobox", { name: "Language" }).selectOption("es");
    await expect.poll(() => page.getByRole("heading", { level: 1, name: "Iniciar sesión" }).count(), { timeout: 10_000 }).toBe(1);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("es");
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });
});
