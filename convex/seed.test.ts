import { convexTest } from "convex-test";
import { makeFunctionReference } from "convex/server";
import { describe, expect, it } from "vitest";
import { generateDemoDistrict } from "../scripts/demo/generate";
import { loadDistrict, type SeedCalls } from "../scripts/demo/loadDistrict";
import type { Id } from "./_generated/dataModel";
import { decryptField, ENCRYPTION_KEYS_ENV, generateEncryptionKeySpec, isEncryptedField } from "./model/crypto";
import { computeIepContentHash } from "./model/iepContent";
import { PENDING_CONTENT_HASH, type SeedRecord } from "./model/seedRecords";
import schema from "./schema";
import { modules } from "./test/modules.testing";

// The deployment environment as tests set it: `env` of _generated/server is this same object,
// typed read-only from convex/convex.config.ts.
// eslint-disable-next-line @convex-dev/no-process-env -- test setup, not deployed code
const env: Record<string, string | undefined> = process.env;

env[ENCRYPTION_KEYS_ENV] ??= generateEncryptionKeySpec("seedtest");

// References by name, so this test does not depend on the generated api being refreshed.
const isEmpty = makeFunctionReference<"query", Record<string, never>, boolean>("seed:isEmpty");
const storeFiles = makeFunctionReference<"action", { files: { mimeType: string; text: string }[] }, string[]>("seed:storeFiles");
const loadBatch = makeFunctionReference<"mutation", { records: unknown[]; refs: Record<string, string> }, Record<string, string>>("seed:loadBatch");
const signPendingApprovals = makeFunctionReference<"mutation", { iepIds: string[] }, number>("seed:signPendingApprovals");

const TODAY = "2025-03-03";

function callsFor(t: ReturnType<typeof convexTest>): SeedCalls {
  return {
    storeFiles: (files) => t.action(storeFiles, { files }),
    loadBatch: (args) => t.mutation(loadBatch, args),
    signPendingApprovals: (iepIds) => t.mutation(signPendingApprovals, { iepIds }),
  };
}

describe("seed.loadBatch with the demo generator", () => {
  it("loads a whole district in batches, resolving refs, encrypting and signing", async () => {
    const t = convexTest(schema, modules);
    expect(await t.query(isEmpty, {})).toBe(true);
    const district = generateDemoDistrict({ students: 20, today: TODAY });
    const generated: SeedRecord[] = [...district.records()];
    const result = await loadDistrict(generated, callsFor(t), { batchSize: 150 });
    expect(result.documents).toBe(generated.length);
    expect(result.batches).toBe(Math.ceil(generated.length / 150));
    expect(await t.query(isEmpty, {})).toBe(false);

    await t.run(async (ctx) => {
      // Every generated record became exactly one document of its table.
      const expected = new Map<string, number>();
      for (const r of generated) expected.set(r.table, (expected.get(r.table) ?? 0) + 1);
      for (const [table, count] of expected) {
        expect((await ctx.db.query(table as "users").collect()).length, table).toBe(count);
      }

      // Refs became real ids of the right records.
      const firstStudent = generated.find((r) => r.table === "students") as SeedRecord;
      const student = await ctx.db.get("students", result.ids.get(firstStudent.ref as string) as Id<"students">);
      expect(student?.firstName).toBe(firstStudent.fields.firstName);
      const caseManager = await ctx.db.get("users", student?.caseManagerId as Id<"users">);
      expect(caseManager?.email).toBe("teacher@demo.sems.test");

      // D14: no plaintext date of birth or medical note in the database.
      for (const s of await ctx.db.query("students").collect()) {
        expect(isEncryptedField(s.dateOfBirth)).toBe(true);
        if (s.medicalConsiderations !== undefined) expect(isEncryptedField(s.medicalConsiderations)).toBe(true);
      }
      expect(await decryptField(student?.dateOfBirth as string)).toBe(firstStudent.fields.dateOfBirth);

      // D11: every seeded approval carries the hash of its IEP's content.
      let signedApprovals = 0;
      for (const iep of await ctx.db.query("ieps").collect()) {
        const hash = await computeIepContentHash(ctx, iep);
        for (const approval of iep.approvals) {
          expect(approval.contentHash).not.toBe(PENDING_CONTENT_HASH);
          expect(approval.contentHash).toBe(hash);
          signedApprovals += 1;
        }
      }
      expect(signedApprovals).toBeGreaterThan(0);

      // D16: each imported student has its creation in the audit log.
      const created = await ctx.db.query("auditLog").collect();
      expect(created.filter((e) => e.action === "create" && e.targetTable === "students")).toHaveLength(expected.get("students") as number);

      // D15: documents point at stored files with the generated text.
      const doc = (await ctx.db.query("documents").first())!;
      const blob = await ctx.storage.get(doc.storageId);
      expect(blob?.size).toBe(doc.fileSize);
      expect(await blob?.text()).toContain("fictional");
    });
  });

  it("refuses unknown refs, tables outside the demo data and unstored files", async () => {
    const t = convexTest(schema, modules);
    const user = { table: "users", fields: { email: "x@demo.sems.test", firstName: "X", lastName: "Y", role: "admin", organizationId: { ref: "org9" }, isActive: true } };
    await expect(t.mutation(loadBatch, { records: [user], refs: {} })).rejects.toThrow(/refers to "org9"/);
    await expect(
      t.mutation(loadBatch, { records: [{ table: "auditLog", fields: {} }], refs: {} }),
    ).rejects.toThrow(/not a table the demo data may write/);
    const doc = { table: "documents", fields: { storageId: { file: { mimeType: "text/plain", text: "x" } } } };
    await expect(t.mutation(loadBatch, { records: [doc], refs: {} })).rejects.toThrow(/seed.storeFiles/);
    // the schema checks every seeded document
    await expect(t.mutation(loadBatch, { records: [{ table: "organizations", fields: { name: 1 } }], refs: {} })).rejects.toThrow();
    // nothing was written by the failed batches
    await t.run(async (ctx) => {
      expect(await ctx.db.query("users").first()).toBeNull();
    });
  });
});
