// The deployment's admin key: given on the command line or in SEMS_ADMIN_KEY,
// else generated once and kept in <data>/admin_key with mode 0600. Its shape,
// "<instance name>|<secret>", is what the Convex CLI expects of a self-hosted key.
import { randomBytes } from "node:crypto";
import fs from "node:fs";

export const INSTANCE_NAME = "sems-local";

export function resolveAdminKey(options: { given?: string; keyPath: string }): { key: string; generated: boolean } {
  if (options.given) return { key: options.given, generated: false };
  if (fs.existsSync(options.keyPath)) {
    return { key: fs.readFileSync(options.keyPath, "utf8").trim(), generated: false };
  }
  const key = `${INSTANCE_NAME}|${randomBytes(32).toString("hex")}`;
  fs.writeFileSync(options.keyPath, `${key}\n`, { mode: 0o600 });
  return { key, generated: true };
}
