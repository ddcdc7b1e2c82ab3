// One stack and one browser for the whole e2e project: `npm start`'s stack (backend, deploy, demo
// district, built web app) on free ports and a temporary data directory, and a Chromium server the
// test files connect to. The demo sign-ins are signed in once here, through the sign-in page, and
// their sessions (Better Auth's cross-domain cookie lives in localStorage) are saved as Playwright
// storage states: Better Auth allows 10 sign-ins a minute, and every file needs several roles.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";
import type { TestProject } from "vitest/node";
import { CHROMIUM_PATH, CHROMIUM_ARGS } from "./chromium";
import { DEMO_PASSWORD, DEMO_ROLES, demoEmail, signInThroughPage, type DemoRole } from "./people";
import { startStack } from "./stack";

declare module "vitest" {
  export interface ProvidedContext {
    sems: { webUrl: string; convexUrl: string; browserWsEndpoint: string; sessions: Record<DemoRole, string> };
  }
}

export default async function setup(project: TestProject) {
  if (!fs.existsSync(CHROMIUM_PATH)) throw new Error(`${CHROMIUM_PATH} is missing: apt-get install -y chromium`);
  // SEMS_E2E_WEB_URL + SEMS_E2E_CONVEX_URL: use a stack already running (while writing tests).
  const reuse = process.env.SEMS_E2E_WEB_URL && process.env.SEMS_E2E_CONVEX_URL;
  const stack = reuse
    ? { webUrl: process.env.SEMS_E2E_WEB_URL!, convexUrl: process.env.SEMS_E2E_CONVEX_URL!, stop: async () => undefined }
    : await startStack({ demo: true });
  const server = await chromium.launchServer({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  // SEMS_E2E_SESSIONS_DIR (with a reused stack): keep the sessions between runs, so repeated runs
  // stay under the sign-in rate limit. Otherwise a temporary directory, removed at the end.
  const keptSessionsDir = reuse ? process.env.SEMS_E2E_SESSIONS_DIR : undefined;
  const sessionsDir = keptSessionsDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "sems-e2e-sessions-"));
  fs.mkdirSync(sessionsDir, { recursive: true });
  const sessions = {} as Record<DemoRole, string>;
  try {
    const browser = await chromium.connect(server.wsEndpoint());
    for (const role of DEMO_ROLES) {
      sessions[role] = path.join(sessionsDir, `${role}.json`);
      if (keptSessionsDir && fs.existsSync(sessions[role])) continue;
      const context = await browser.newContext({ locale: "en-US" });
      const page = await context.newPage();
      await signInThroughPage(page, stack.webUrl, demoEmail(role), DEMO_PASSWORD);
      await context.storageState({ path: sessions[role] });
      await context.close();
    }
    await browser.close();
  } catch (error) {
    await server.close();
    await stack.stop();
    throw error;
  }
  project.provide("sems", { webUrl: stack.webUrl, convexUrl: stack.convexUrl, browserWsEndpoint: server.wsEndpoint(), sessions });
  return async () => {
    await server.close();
    await stack.stop();
    if (!keptSessionsDir) fs.rmSync(sessionsDir, { recursive: true, force: true });
  };
}
