/// <reference types="vite/client" />
// The Convex modules convex-test loads: every function module (.ts) and the generated .js, not
// tests or test helpers — those have more than one dot in their names, which the Convex CLI also
// skips when it bundles, so they never deploy. Not the locally installed Better Auth component
// (../betterAuth, its own convex.config.ts): the CLI deploys it as a component, not as app modules,
// and tests register it with t.registerComponent (signInWorld.testing.ts).
export const modules = import.meta.glob(["../**/*.ts", "../**/*.js", "!../**/*.*.ts", "!../**/*.*.js", "!../betterAuth/**"]);
