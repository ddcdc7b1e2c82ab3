import type { Translate } from "../../i18n/I18nProvider";

/** Better Auth's error codes, in words; the server's own message (a refusal SEMS wrote) otherwise. */
export function authErrorText(t: Translate, code: string, message = ""): string {
  if (code === "INVALID_EMAIL_OR_PASSWORD" || code === "401" || code === "INVALID_PASSWORD") return t("auth.error.invalid");
  if (code === "NETWORK") return t("auth.error.network");
  if (code === "429" || code === "TOO_MANY_REQUESTS") return t("auth.error.tooMany");
  if (code === "INVALID_TOKEN" || code === "TOKEN_EXPIRED") return t("auth.reset.missingToken");
  if (message) return t("auth.error.server", { message });
  return t("auth.error.generic", { code });
}

export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
