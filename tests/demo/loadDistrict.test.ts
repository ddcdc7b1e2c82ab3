import { describe, expect, it } from "vitest";
import type { SeedRecord } from "../../convex/model/seedRecords";
import { parseLoadArgs } from "../../scripts/demo/load";
import { batchesOf, loadDistrict, type SeedCalls } from "../../scripts/demo/loadDistrict";

/** A fake deployment that records what each call received and hands out ids. */
function fakeDeployment() {
  const batches: { records: { table: string; ref?: string; fields: unknown }[]; refs: Record<string, string> }[] = [];
  const stored: string[] = [];
  const signed: string[][] = [];
  let nextId = 0;
  const calls: SeedCalls = {
    storeFiles: async (files) =>
      files.map((f) => {
        stored.push(f.text);
        return `storage-${stored.length}`;
      }),
    loadBatch: async (args) => {
      batches.push(args);
      const created: Record<string, string> = {};
      for (const r of args.records) if (r.ref) created[r.ref] = `id-${r.table}-${++nextId}`;
      return created;
    },
    signPendingApprovals: async (ids) => {
      signed.push(ids);
      return ids.length;
    },
  };
  return { calls, batches, stored, signed };
}

const records: SeedRecord[] = [
  { table: "organizations", ref: "org1", fields: { name: "A" } },
  { table: "users", ref: "u1", fields: { organizationId: { ref: "org1" }, phoneNumber: undefined } },
  { table: "students", ref: "s1", fields: { organizationId: { ref: "org1" }, caseManagerId: { ref: "u1" } } },
  { table: "ieps", ref: "iep1", fields: { studentId: { ref: "s1" }, teamMembers: [{ ref: "u1" }] } },
  { table: "documents", ref: "doc1", fields: { studentId: { ref: "s1" }, storageId: { file: { mimeType: "text/plain", text: "one" } } } },
  { table: "documents", fields: { studentId: { ref: "s1" }, storageId: { file: { mimeType: "text/plain", text: "two" } } } },
];

describe("loadDistrict", () => {
  it("splits into batches of the given size", () => {
    expect([...batchesOf([1, 2, 3, 4, 5], 2)]).toEqual([[1, 2], [3, 4], [5]]);
    expect([...batchesOf([], 3)]).toEqual([]);
  });

  it("sends each batch only the ids of earlier batches it needs, files already stored", async () => {
    const fake = fakeDeployment();
    const result = await loadDistrict(records, fake.calls, { batchSize: 3 });
    expect(result).toMatchObject({ documents: 6, batches: 2, signedIeps: 1 });
    // batch 1 resolves its refs itself
    expect(fake.batches[0].refs).toEqual({});
    // batch 2 needs s1 and u1 from batch 1, and not iep1 (defined in the batch)
    expect(fake.batches[1].refs).toEqual({ s1: "id-students-3", u1: "id-users-2" });
    expect(fake.batches[1].records[0].fields).toEqual({ studentId: { ref: "s1" }, teamMembers: [{ ref: "u1" }] });
    // files stored in order and swapped in; undefined fields dropped
    expect(fake.stored).toEqual(["one", "two"]);
    expect(fake.batches[1].records[1].fields).toEqual({ studentId: { ref: "s1" }, storageId: "storage-1" });
    expect(fake.batches[1].records[2].fields).toEqual({ studentId: { ref: "s1" }, storageId: "storage-2" });
    expect(fake.batches[0].records[1].fields).toEqual({ organizationId: { ref: "org1" } });
    expect(fake.signed).toEqual([["id-ieps-4"]]);
    expect(result.ids.get("doc1")).toBe("id-documents-5");
  });

  it("stops on a ref that was never loaded", async () => {
    const fake = fakeDeployment();
    await expect(loadDistrict([{ table: "users", fields: { organizationId: { ref: "nope" } } }], fake.calls)).rejects.toThrow(/"nope"/);
    expect(fake.batches).toHaveLength(0);
  });
});

describe("parseLoadArgs", () => {
  it("reads options and falls back to the Convex CLI's environment variables", () => {
    const options = parseLoadArgs(["--students", "10000", "--if-empty", "--today", "2025-03-03"], {
      CONVEX_SELF_HOSTED_URL: "http://127.0.0.1:4000",
      CONVEX_SELF_HOSTED_ADMIN_KEY: "key",
    });
    expect(options).toMatchObject({ students: 10000, ifEmpty: true, today: "2025-03-03", url: "http://127.0.0.1:4000", adminKey: "key", batchSize: 300 });
  });

  it("refuses a missing admin key and a bad size", () => {
    expect(() => parseLoadArgs([], {})).toThrow(/admin key/);
    expect(() => parseLoadArgs(["--students", "lots"], { CONVEX_ADMIN_KEY: "k" })).toThrow(/--students/);
  });
});
