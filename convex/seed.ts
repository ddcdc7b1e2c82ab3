// Loading the demo district (scripts/demo/generate.ts) — internal functions only, callable with
// the deployment's admin key (scripts/demo/load.ts), never by a signed-in user.
//
// The loader streams the generated records in batches of a few hundred documents:
//   1. seed.storeFiles (action: only actions may write file storage) for the batch's documents;
//   2. seed.loadBatch inserts the batch in one transaction. Records point at earlier records by
//      local refs ("u3"); the loader keeps the ref → id map and sends only the ids this batch
//      needs, so nothing about refs is stored in the database and 10,000 students load in
//      constant memory per batch. loadBatch returns the ids of the records it created;
//   3. seed.signPendingApprovals, once every goal is in, computes the D11 content hashes.
import { v } from "convex/values";
import type { GenericId } from "convex/values";
import type { Id, TableNames } from "./_generated/dataModel";
import { internalAction, internalMutation, internalQuery } from "./_generated/server";
import { encryptField, isEncryptedField } from "./model/crypto";
import { writeAudit } from "./model/audit";
import { computeIepContentHash } from "./model/iepContent";
import { searchNameFor } from "./model/searchName";
import { isFilePlaceholder, mapPlaceholders, PENDING_CONTENT_HASH, SEED_TABLES, type SeedTable } from "./model/seedRecords";

/** True when the deployment holds no organization yet: `npm start` seeds only then. */
export const isEmpty = internalQuery({
  args: {},
  returns: v.boolean(),
  handler: async (ctx) => (await ctx.db.query("organizations").first()) === null,
});

/** Stores the batch's document files; returns their storage ids in the same order. */
export const storeFiles = internalAction({
  args: { files: v.array(v.object({ mimeType: v.string(), text: v.string() })) },
  returns: v.array(v.id("_storage")),
  handler: async (ctx, { files }) => {
    const ids = [];
    for (const file of files) ids.push(await ctx.storage.store(new Blob([file.text], { type: file.mimeType })));
    return ids;
  },
});

export const loadBatch = internalMutation({
  args: {
    records: v.array(v.object({ table: v.string(), ref: v.optional(v.string()), fields: v.any() })),
    /** The ids of earlier records this batch refers to (ref → id). */
    refs: v.record(v.string(), v.string()),
  },
  returns: v.record(v.string(), v.string()),
  handler: async (ctx, { records, refs }) => {
    const known = new Map(Object.entries(refs));
    const created: Record<string, string> = {};
    for (const [index, record] of records.entries()) {
      if (!(SEED_TABLES as readonly string[]).includes(record.table)) {
        throw new Error(`Seed record ${index}: "${record.table}" is not a table the demo data may write`);
      }
      const table = record.table as SeedTable & TableNames;
      const fields = mapPlaceholders(record.fields, (placeholder) => {
        if (isFilePlaceholder(placeholder)) {
          throw new Error(`Seed record ${index} (${table}) still holds a file: store it with seed.storeFiles first`);
        }
        const resolved = known.get(placeholder.ref);
        if (resolved === undefined) {
          throw new Error(`Seed record ${index} (${table}) refers to "${placeholder.ref}", which is neither in this batch nor in refs`);
        }
        return resolved;
      }) as Record<string, unknown>;
      if (table === "students") await prepareStudent(fields);
      // Schema validation on insert checks every field of the generated document.
      const id: GenericId<TableNames> = await ctx.db.insert(table, fields as never);
      if (record.ref !== undefined) {
        known.set(record.ref, id);
        created[record.ref] = id;
      }
      if (table === "students") {
        // D16: a student's record came into being; say how (the import has no acting user).
        await writeAudit(ctx, {
          organizationId: fields.organizationId as Id<"organizations">,
          studentId: id as Id<"students">,
          action: "create",
          targetTable: "students",
          targetId: id,
          details: "demo district import (scripts/demo)",
        });
      }
    }
    return created;
  },
});

/** D14: date of birth and medical notes arrive as plaintext and are stored only as ciphertext. */
async function prepareStudent(fields: Record<string, unknown>): Promise<void> {
  for (const field of ["dateOfBirth", "medicalConsiderations"] as const) {
    const value = fields[field];
    if (typeof value === "string" && !isEncryptedField(value)) fields[field] = await encryptField(value);
  }
  if (fields.searchName === undefined && typeof fields.firstName === "string" && typeof fields.lastName === "string") {
    fields.searchName = searchNameFor(fields.firstName, fields.lastName);
  }
}

/**
 * D11: seeded approvals carry PENDING_CONTENT_HASH until every goal of their IEP is loaded; this
 * replaces it with the hash of the IEP's content as it now stands. Returns how many IEPs it signed.
 */
export const signPendingApprovals = internalMutation({
  args: { iepIds: v.array(v.id("ieps")) },
  returns: v.number(),
  handler: async (ctx, { iepIds }) => {
    let signed = 0;
    for (const iepId of iepIds) {
      const iep = await ctx.db.get("ieps", iepId);
      if (!iep || !iep.approvals.some((a) => a.contentHash === PENDING_CONTENT_HASH)) continue;
      const contentHash = await computeIepContentHash(ctx, iep);
      await ctx.db.patch("ieps", iepId, {
        approvals: iep.approvals.map((a) => (a.contentHash === PENDING_CONTENT_HASH ? { ...a, contentHash } : a)),
      });
      signed += 1;
    }
    return signed;
  },
});
