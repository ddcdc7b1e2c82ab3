// The web benchmarks' shared parts: `npm start`'s stack on free ports with the demo district (as
// e2e/stack.ts starts it; SEMS_WEB_URL + SEMS_CONVEX_URL reuse a running one), headless Debian
// Chromium through playwright-core, and the demo sign-ins (sign-in is rate-limited: each
// benchmark signs a person in once and reuses the session).
/* global document */ // page.evaluate callbacks run in the browser
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";
import { freePort, median, root } from "../lib/backend.mjs";

export { median, root };
export const CHROMIUM_PATH = process.env.SEMS_CHROMIUM ?? "/usr/bin/chromium";
export const RUNS = Number(process.env.SEMS_BENCH_RUNS ?? 7);
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** Starts scripts/start.mjs on free ports and a fresh data directory, or reuses a running stack. */
export async function startStack() {
  if (process.env.SEMS_WEB_URL && process.env.SEMS_CONVEX_URL) {
    return { webUrl: process.env.SEMS_WEB_URL, convexUrl: process.env.SEMS_CONVEX_URL, stop: async () => undefined };
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sems-bench-web-"));
  const [port, sitePort, webPort] = [await freePort(), await freePort(), await freePort()];
  const child = spawn(process.execPath, [path.join(root, "scripts", "start.mjs")], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, SEMS_DATA_DIR: dataDir, SEMS_PORT: String(port), SEMS_SITE_PORT: String(sitePort), SEMS_WEB_PORT: String(webPort), SEMS_DEMO: "1" },
  });
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (chunk) => (output += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk) => (output += chunk));
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start was not ready in time\n${output.slice(-3000)}`)), 540_000);
    child.stdout.on("data", () => {
      if (output.includes("SEMS is running.")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`scripts/start.mjs exited with code ${code}\n${output.slice(-3000)}`));
    });
  }).catch(async (error) => {
    await stop();
    throw error;
  });
  return { webUrl: `http://127.0.0.1:${webPort}`, convexUrl: `http://127.0.0.1:${port}`, stop };
}

export async function launchBrowser() {
  return await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

/** Signs a demo person in through the sign-in page; returns their saved session (storage state). */
export async function demoSession(browser, webUrl, role) {
  const context = await browser.newContext({ locale: "en-US" });
  const page = await context.newPage();
  await page.goto(`${webUrl}/sign-in`);
  await page.getByLabel("Email address").fill(`${role}@demo.sems.test`);
  await page.getByLabel(/^Password/).fill("sems-demo-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"), { timeout: 30_000 });
  const state = await context.storageState();
  await context.close();
  return state;
}

/** A page of the app for a saved session, 1280×900 like the e2e tests. */
export async function personPage(browser, storageState) {
  const context = await browser.newContext({ locale: "en-US", viewport: { width: 1280, height: 900 }, ...(storageState ? { storageState } : {}) });
  context.setDefaultTimeout(30_000);
  return { context, page: await context.newPage() };
}

/** Waits until the page shows its main heading and nothing is loading. */
export async function settled(page) {
  await page.locator("main h1").first().waitFor();
  await page.waitForFunction(() => !/Loading…|Cargando…/.test(document.body.innerText));
}

export function report(line) {
  console.log(JSON.stringify(line));
}

/** Runs `body` with a stack and a browser, and always stops both. */
export async function withStackAndBrowser(body) {
  const stack = await startStack();
  const browser = await launchBrowser();
  try {
    await body(stack, browser);
  } finally {
    await browser.close();
    await stack.stop();
  }
}
