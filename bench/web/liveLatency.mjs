#!/usr/bin/env node
/* global document, MutationObserver */ // page.evaluate callbacks run in the browser
// Time from a mutation in one browser to the change appearing in another: a teacher records a
// measurement on a goal page (the Record button's click, timed in the teacher's page) and an admin
// with the same goal page open (Table view) sees the row with its note (a MutationObserver in the
// admin's page). Both pages run in one Chromium on this machine, so Date.now() is one clock.
// Median of SEMS_BENCH_RUNS × 2 measurements. Target: median ≤ 300 ms.
import { RUNS, demoSession, median, personPage, report, settled, withStackAndBrowser } from "./lib.mjs";

const TARGET_MS = 300;
const MEASUREMENTS = RUNS * 2;

await withStackAndBrowser(async (stack, browser) => {
  const teacher = await personPage(browser, await demoSession(browser, stack.webUrl, "teacher"));
  const admin = await personPage(browser, await demoSession(browser, stack.webUrl, "admin"));
  // A goal of the demo teacher's caseload, found through the app's links.
  await teacher.page.goto(`${stack.webUrl}/`);
  await settled(teacher.page);
  // An active goal: its page has the form to record a measurement (a met goal's has not).
  let goal;
  for (const href of await teacher.page.locator("main tbody a[href^='/goals/']").evaluateAll((links) => links.map((a) => a.getAttribute("href")))) {
    await teacher.page.goto(`${stack.webUrl}${href}`);
    await settled(teacher.page);
    if ((await teacher.page.getByLabel(/^Value \(/).count()) > 0) {
      goal = href;
      break;
    }
  }
  if (!goal) throw new Error("No active goal on the demo teacher's caseload");
  await admin.page.goto(`${stack.webUrl}${goal}`);
  await settled(admin.page);
  await admin.page.getByRole("tab", { name: "Table" }).click();
  const baseline = await teacher.page.locator("main dl.facts dd").first().innerText();
  const value = /-?[\d.]+/.exec(baseline.replace(/,/g, ""))?.[0] ?? "1";
  const today = await teacher.page.evaluate(() => new Date().toLocaleDateString("en-CA"));

  const latencies = [];
  for (let run = 0; run < MEASUREMENTS; run++) {
    const note = `bench ${Date.now().toString(36)}-${run}`;
    // The admin's page watches for the note before the teacher acts.
    const seen = admin.page.evaluate(
      (text) =>
        new Promise((resolve) => {
          const panel = document.querySelector("main [role=tabpanel]");
          const observer = new MutationObserver(() => {
            if (panel.textContent.includes(text)) {
              observer.disconnect();
              resolve(Date.now());
            }
          });
          observer.observe(panel, { childList: true, subtree: true, characterData: true });
        }),
      note,
    );
    await teacher.page.getByLabel(/^Date\b/).fill(today);
    await teacher.page.getByLabel(/^Value \(/).fill(value);
    await teacher.page.getByLabel("Notes").fill(note);
    const clickedAt = await teacher.page.evaluate(() => {
      const button = [...document.querySelectorAll("main button")].find((b) => b.textContent.trim() === "Record");
      const at = Date.now();
      button.click();
      return at;
    });
    // Seen by the admin means committed: the next measurement may follow at once.
    const seenAt = await Promise.race([seen, new Promise((_, reject) => setTimeout(() => reject(new Error(`"${note}" did not appear in 15 s`)), 15_000))]);
    latencies.push(seenAt - clickedAt);
  }
  report({
    benchmark: "web.liveLatency",
    measurements: MEASUREMENTS,
    medianMs: median(latencies),
    maxMs: Math.max(...latencies),
    targetMs: TARGET_MS,
    withinTarget: median(latencies) <= TARGET_MS,
    latenciesMs: latencies,
  });
  await teacher.context.close();
  await admin.context.close();
});
