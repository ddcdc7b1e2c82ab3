/// <reference types="vite/client" />
// The Convex modules convex-test loads: every function module (.ts) and the generated .js, not
// tests or test helpers — those have more than one dot in their names, which the Convex CLI also
// skips when it bundles, so they never deploy.
export const modules = import.meta.glob(["../**/*.ts", "../**/*.js", "!../**/*.*.ts", "!../**/*.*.js"]);
