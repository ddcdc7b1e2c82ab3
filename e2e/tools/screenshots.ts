// Developer tool: screenshots of the running app (npm start) for a person to look at, and an axe
// scan of each page. Usage:
//   npx vite-node e2e/tools/screenshots.ts -- <outDir> <role|-> <path> [<path>…] [--width 390]
// Not a test; tests live in e2e/*.test.ts.
import fs from "node:fs";
import path from "node:path";
import { axeViolations } from "../axe";
import { launchChromium } from "../chromium";

const args = process.argv.slice(2).filter((a) => a !== "--");
const widthIndex = args.indexOf("--width");
const width = widthIndex >= 0 ? Number(args.splice(widthIndex, 2)[1]) : 1280;
const languageIndex = args.indexOf("--lang");
const language = languageIndex >= 0 ? args.splice(languageIndex, 2)[1] : "en";
const [outDir, role, ...paths] = args;
const base = process.env.SEMS_WEB_URL ?? "http://127.0.0.1:5173";

async function main() {
  fs.mkdirSync(outDir, { recursive: true });
  const browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width, height: 900 }, locale: language === "es" ? "es-US" : "en-US" });
  const page = await context.newPage();
  page.on("console", (message) => {
    if (message.type() === "error") console.log(`  console: ${message.text()}`);
  });
  if (role !== "-") {
    await page.goto(`${base}/sign-in`);
    await page.getByLabel(/Email|Correo/).fill(`${role}@demo.sems.test`);
    await page.getByLabel(/^(Password|Contraseña)/).fill("sems-demo-password");
    await page.getByRole("button", { name: /Sign in|Iniciar sesión/ }).click();
    await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"), { timeout: 20_000 });
  }
  for (const step of paths) {
    // "@/students/" follows the first link on the current page whose path starts with that prefix.
    let route = step;
    if (step.startsWith("@")) {
      const prefix = step.slice(1);
      const href = await page.locator(`main a[href^="${prefix}"]`).first().getAttribute("href");
      if (!href) throw new Error(`no link starting with ${prefix} on ${page.url()}`);
      route = href;
    }
    const started = Date.now();
    await page.goto(`${base}${route}`);
    await page.locator("main h1").first().waitFor({ timeout: 20_000 });
    await page.locator("main table, main form, main article").first().waitFor({ timeout: 20_000 }).catch(() => undefined);
    console.log(`${route}: content after ${Date.now() - started} ms`);
    await page.waitForLoadState("networkidle").catch(() => undefined);
    await page.waitForTimeout(1500);
    const name = `${role}-${language}-${step.replace(/[^a-z0-9]+/gi, "_") || "home"}-${width}.png`;
    await page.screenshot({ path: path.join(outDir, name), fullPage: true });
    const violations = await axeViolations(page);
    console.log(`${route} → ${name}; axe: ${violations.length ? violations.map((v) => `${v.id}(${v.nodes.length}) ${v.nodes[0]?.target.join(" ")}`).join("; ") : "no violations"}`);
  }
  await browser.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
