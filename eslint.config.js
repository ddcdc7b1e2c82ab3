import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";
import convexPlugin from "@convex-dev/eslint-plugin";

// The plugin's preset targets every `**/convex/**` folder; here it applies to the app's convex/
// only: fixture apps under backend/test and bench deliberately exercise every API form.
const convexRecommended = convexPlugin.configs.recommended.map((config) => ({ ...config, files: ["convex/**/*.ts"] }));

export default tseslint.config(
  {
    ignores: ["**/node_modules/**", "**/dist/**", "**/_generated/**", ".data/**", "**/.tmp/**", "e2e/artifacts/**", "test-results/**"],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  ...convexRecommended,
  {
    // Tests and fixtures poke at wire formats and untyped client results.
    files: ["**/*.test.ts", "backend/test/**", "tests/**", "bench/**"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
);
