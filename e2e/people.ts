// The demo district's sign-ins (scripts/demo/README.md) and signing in through the sign-in page.
import type { Page } from "playwright-core";

export const DEMO_PASSWORD = "sems-demo-password";
export const DEMO_ROLES = ["admin", "teacher", "specialist", "parent", "student"] as const;
export type DemoRole = (typeof DEMO_ROLES)[number];

export const demoEmail = (role: DemoRole) => `${role}@demo.sems.test`;

/** The demo people the tests name. */
export const DEMO_NAMES = { admin: "Morgan Oakhaven", teacher: "Riley Brightwater", parent: "Jordan Foxglove", student: "Maya Foxglove" } as const;

/** Fills the sign-in form (English) and waits until the app has left /sign-in. */
export async function signInThroughPage(page: Page, webUrl: string, email: string, password: string): Promise<void> {
  // After signing out the app is already on its way to /sign-in; a second navigation would race it.
  if (!new URL(page.url()).pathname.startsWith("/sign-in")) await page.goto(`${webUrl}/sign-in`);
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel(/^Password/).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"), { timeout: 30_000 });
}
