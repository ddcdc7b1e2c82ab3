import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "backend",
          include: ["backend/test/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: "convex",
          include: ["convex/**/*.test.ts", "tests/**/*.test.ts"],
          exclude: [...configDefaults.exclude, "tests/integration/**"],
          environment: "edge-runtime",
          server: { deps: { inline: ["convex-test"] } },
          testTimeout: 30_000,
        },
      },
      {
        // The web app's component tests (src/): React in happy-dom.
        test: {
          name: "web",
          include: ["src/**/*.test.tsx", "src/**/*.test.ts"],
          environment: "happy-dom",
          setupFiles: ["src/test/setup.ts"],
          testTimeout: 30_000,
        },
      },
      {
        // The browser smoke test: `npm start`'s stack (backend, deploy, built web app) in headless
        // Chromium (/usr/bin/chromium), the sign-in page scanned with axe-core.
        test: {
          name: "e2e",
          include: ["e2e/**/*.test.ts"],
          environment: "node",
          // One stack, one Chromium and the demo sign-ins' sessions for every file (e2e/globalSetup.ts).
          globalSetup: ["e2e/globalSetup.ts"],
          // The files share that stack's data and one browser: one at a time keeps them deterministic.
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 600_000,
        },
      },
      {
        // SEMS on the embedded backend: one real backend process for the whole project
        // (globalSetup deploys convex/ with the real CLI and loads a demo district), HTTP clients.
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          globalSetup: ["tests/integration/globalSetup.ts"],
          testTimeout: 120_000,
          hookTimeout: 240_000,
        },
      },
    ],
  },
});
