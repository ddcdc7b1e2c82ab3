// Headless Chromium from Debian's package (/usr/bin/chromium), driven by playwright-core: no
// browser download. Flags keep it offline and quiet.
import { chromium, type Browser } from "playwright-core";

export const CHROMIUM_PATH = process.env.SEMS_CHROMIUM ?? "/usr/bin/chromium";

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}
