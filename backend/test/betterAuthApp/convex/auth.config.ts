import { getAuthConfigProvider } from "@convex-dev/better-auth/auth-config";
import type { AuthConfig } from "convex/server";

// Evaluated by the backend at push time: the test providers come from the
// backend process's environment (set by the test that starts it).
const testProviders = [
  process.env.TEST_JWKS_DATA_URI && {
    type: "customJwt" as const,
    issuer: "https://issuer.sems.test",
    applicationID: "sems-test",
    algorithm: "RS256" as const,
    jwks: process.env.TEST_JWKS_DATA_URI,
  },
  process.env.TEST_OIDC_DOMAIN && { domain: process.env.TEST_OIDC_DOMAIN, applicationID: "sems-oidc" },
  // Tokens this deployment signs itself with ctx.auth.signJwt (no audience).
  process.env.CONVEX_CLOUD_URL && {
    type: "customJwt" as const,
    issuer: process.env.CONVEX_CLOUD_URL,
    algorithm: "ES256" as const,
    jwks: `${process.env.CONVEX_CLOUD_URL}/.well-known/jwks.json`,
  },
].filter((provider) => !!provider);

export default {
  providers: [getAuthConfigProvider(), ...testProviders],
} as AuthConfig;
