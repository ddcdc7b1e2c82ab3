// D11: a signature binds to content. The content hash is SHA-256 over a canonical JSON of every
// field a signer agrees to — dates, placement, services, accommodations, modifications, transition
// plan and the IEP's active goals — so any change to them changes the hash.
import type { Doc } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";

/** JSON with object keys sorted at every level, so equal content always hashes equally. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

export function iepContent(iep: Doc<"ieps">, goals: Doc<"goals">[]) {
  return {
    studentId: iep.studentId,
    version: iep.version,
    effectiveDate: iep.effectiveDate,
    expirationDate: iep.expirationDate,
    meetingDate: iep.meetingDate,
    nextReviewDate: iep.nextReviewDate,
    placement: iep.placement,
    serviceHours: iep.serviceHours,
    accommodations: iep.accommodations,
    modifications: iep.modifications,
    transitionPlan: iep.transitionPlan ?? null,
    goals: goals
      .filter((g) => g.isActive)
      .sort((a, b) => a.goalNumber - b.goalNumber)
      .map((g) => ({
        goalNumber: g.goalNumber,
        domain: g.domain,
        description: g.description,
        baselineData: g.baselineData,
        targetCriteria: g.targetCriteria,
        direction: g.direction,
        targetDate: g.targetDate,
        masteryCriteria: g.masteryCriteria ?? null,
        evaluationMethod: g.evaluationMethod,
        frequency: g.frequency,
        responsibleProvider: g.responsibleProvider,
      })),
  };
}

export async function computeIepContentHash(ctx: QueryCtx, iep: Doc<"ieps">): Promise<string> {
  const goals = await ctx.db
    .query("goals")
    .withIndex("by_iep", (q) => q.eq("iepId", iep._id))
    .collect();
  return await sha256Hex(canonicalJson(iepContent(iep, goals)));
}

/**
 * D11: after a change to an IEP's content, its approvals no longer apply: they move to
 * voidedApprovals (the history of who signed what) and the IEP returns to draft.
 */
export async function voidApprovalsAfterChange(ctx: MutationCtx, iep: Doc<"ieps">): Promise<void> {
  if (iep.approvals.length === 0 && iep.status === "draft") return;
  const voidedAt = Date.now();
  await ctx.db.patch("ieps", iep._id, {
    status: "draft",
    approvals: [],
    voidedApprovals: [...(iep.voidedApprovals ?? []), ...iep.approvals.map((a) => ({ ...a, voidedAt }))],
  });
}
