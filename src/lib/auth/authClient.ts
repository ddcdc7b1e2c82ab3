// Better Auth's browser client. The web app (127.0.0.1:5173) and the deployment's HTTP actions
// (127.0.0.1:3211, where convex/auth.ts mounts /api/auth/*) are different origins, so the session
// travels with the cross-domain plugin (stored by the client, sent as a header) rather than a
// third-party cookie; convexClient() exchanges the session for the Convex JWT the sync socket uses.
import { convexClient, crossDomainClient } from "@convex-dev/better-auth/client/plugins";
import { createAuthClient } from "better-auth/react";
import { convexSiteUrl } from "../convex";

export const authClient = createAuthClient({
  baseURL: convexSiteUrl,
  plugins: [
    convexClient(),
    crossDomainClient(),
  ],
});

export type AuthResult = { ok: true; twoFactor?: boolean } | { ok: false; code: string; message: string };

/** Better Auth answers `{ data, error }`; pages want a verdict and a code to translate. */
export function toResult(response: { data?: unknown; error?: { code?: string; message?: string; status?: number } | null }): AuthResult {
  if (response.error) {
    return { ok: false, code: response.error.code ?? String(response.error.status ?? "UNKNOWN"), message: response.error.message ?? "" };
  }
  const data = response.data as { twoFactorRedirect?: boolean } | null | undefined;
  return { ok: true, twoFactor: data?.twoFactorRedirect === true };
}
