// The web app's address (SITE_URL): links in mail point there and it is the one browser origin
// Better Auth trusts. Default: the Vite dev server of the offline setup.
import { env } from "../_generated/server";

export const DEFAULT_SITE_URL = "http://127.0.0.1:5173";

export function siteUrl(): string {
  return (env.SITE_URL?.trim() || DEFAULT_SITE_URL).replace(/\/+$/, "");
}
