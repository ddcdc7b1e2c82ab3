#!/usr/bin/env node
// The web app's JavaScript: what the sign-in page loads (gzip bytes as served: dist/assets/*.gz,
// budget 250 KB), and that each other page brings its own chunk the first time it is visited
// (route-level code splitting), not earlier. Deterministic sizes: one run is enough for them.
import fs from "node:fs";
import path from "node:path";
import { demoSession, personPage, report, root, settled, withStackAndBrowser } from "./lib.mjs";

const BUDGET = 250 * 1024;
const assets = path.join(root, "dist", "assets");
const gzipSize = (name) => fs.statSync(path.join(assets, `${name}.gz`)).size;

function recordScripts(page) {
  const names = new Set();
  page.on("response", (response) => {
    const { pathname } = new URL(response.url());
    if (pathname.startsWith("/assets/") && pathname.endsWith(".js")) names.add(path.basename(pathname));
  });
  return names;
}

await withStackAndBrowser(async (stack, browser) => {
  // The sign-in page, signed out, cold cache.
  {
    const { context, page } = await personPage(browser);
    const scripts = recordScripts(page);
    await page.goto(`${stack.webUrl}/sign-in`);
    await settled(page);
    const files = [...scripts].sort();
    const gzip = files.reduce((sum, name) => sum + gzipSize(name), 0);
    const raw = files.reduce((sum, name) => sum + fs.statSync(path.join(assets, name)).size, 0);
    report({ benchmark: "web.signInJavaScript", gzipBytes: gzip, rawBytes: raw, budgetGzipBytes: BUDGET, withinBudget: gzip <= BUDGET, files });
    await context.close();
  }
  // A teacher walks from page to page inside the app: each first visit loads new chunks.
  {
    const { context, page } = await personPage(browser, await demoSession(browser, stack.webUrl, "teacher"));
    const scripts = recordScripts(page);
    const visits = [];
    let seen = new Set();
    const step = async (label, go) => {
      const before = page.url();
      await go();
      // A link click: wait for the new route before waiting for its content.
      await page.waitForURL((url) => url.href !== before);
      await settled(page);
      const fresh = [...scripts].filter((name) => !seen.has(name));
      seen = new Set(scripts);
      visits.push({ page: label, newChunks: fresh.map((name) => name.replace(/-[\w-]{8}\.js$/, "")), newGzipBytes: fresh.reduce((s, n) => s + gzipSize(n), 0) });
    };
    await step("home (caseload)", () => page.goto(`${stack.webUrl}/`));
    await step("student", () => page.locator("main tbody a[href^='/students/']").first().click());
    await step("goal", async () => {
      await page.getByRole("tab", { name: "Goals" }).click();
      await page.locator("main [role=tabpanel] a[href^='/goals/']").first().click();
    });
    await step("students", () => page.getByRole("link", { name: "Students", exact: true }).click());
    await step("settings", () => page.getByRole("link", { name: "My settings" }).click());
    await step("home again", () => page.getByRole("link", { name: "Home" }).click());
    const ownCode = visits.slice(1, 5).every((v) => v.newChunks.length > 0) && visits[5].newChunks.length === 0;
    report({ benchmark: "web.routeChunks", eachPageLoadsItsOwnCodeOnFirstVisit: ownCode, visits });
    await context.close();
  }
});
