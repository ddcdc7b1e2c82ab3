// D16: the audit entry is written by the same mutation, hence in the same transaction, as the act.
import type { Id } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import type { AuditAction } from "./validators";

export interface AuditEntry {
  organizationId: Id<"organizations">;
  studentId?: Id<"students">;
  actorId?: Id<"users">; // absent for scheduled jobs
  action: AuditAction;
  targetTable: string;
  targetId: string;
  /** What changed, in words or field names — never the plaintext of an encrypted field (D14). */
  details?: string;
}

export async function writeAudit(ctx: MutationCtx, entry: AuditEntry): Promise<void> {
  await ctx.db.insert("auditLog", { ...entry, at: Date.now() });
}
