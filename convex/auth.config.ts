// Convex trusts the JWTs Better Auth issues (convex() plugin in auth.ts): issuer CONVEX_SITE_URL,
// keys from ${CONVEX_SITE_URL}/api/auth/convex/jwks, applicationID "convex".
import { getAuthConfigProvider } from "@convex-dev/better-auth/auth-config";
import type { AuthConfig } from "convex/server";

export default {
  providers: [getAuthConfigProvider()],
} satisfies AuthConfig;
