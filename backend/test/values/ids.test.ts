import { describe, expect, it } from "vitest";
import { decodeDocumentId, encodeDocumentId, isDocumentIdString, newInternalId, tableNumberOfId } from "../../src/values/ids.js";

// Ids produced by real Convex deployments, found in get-convex/convex-backend:
// `_storage` ids in npm-packages/dashboard/src/docs/pages/project/deployment/FileStorage.stories.tsx.
// (The `_id` shown in npm-packages/docs/docs/file-storage/file-metadata.mdx,
// "3k7ty84apk2zy00ay4st1n5p9kh7tf8", predates the current id format and does
// not decode, in Convex either: its footer is not a valid checksum.)
const REAL_IDS = [
  "kg25efbgcywfzkr6h78cjw1pzx85r2ha",
  "kg26cx7446n79enzjshegcv4bs85s5zf",
  "kg204m40v9m1bmkthp86n486mh85s0rc",
  "kg2dsa1sfhkmydncfvvtd2jgbx85rw9z",
  "kg2ch8s6wsdzvkefhzacfjvyvd85r1f1",
];

describe("document ids", () => {
  it("round-trips table numbers of every varint width", () => {
    for (const table of [1, 2, 127, 128, 10_001, 16_383, 16_384, 2 ** 21, 2 ** 28, 2 ** 32 - 1]) {
      const internal = newInternalId();
      const id = encodeDocumentId(table, internal);
      expect(id).toMatch(/^[0-9a-hjkmnp-tv-z]+$/);
      const decoded = decodeDocumentId(id);
      expect(decoded?.tableNumber).toBe(table);
      expect(Buffer.from(decoded!.internalId).equals(Buffer.from(internal))).toBe(true);
      expect(isDocumentIdString(id)).toBe(true);
      expect(tableNumberOfId(id)).toBe(table);
    }
  });

  it("has Convex's lengths: 31 characters for tables below 128, 32 up to 16383", () => {
    expect(encodeDocumentId(127, newInternalId())).toHaveLength(31);
    expect(encodeDocumentId(128, newInternalId())).toHaveLength(32);
    expect(encodeDocumentId(16_383, newInternalId())).toHaveLength(32);
    expect(encodeDocumentId(2 ** 32 - 1, newInternalId())).toHaveLength(37);
  });

  it("decodes ids minted by Convex Cloud and re-encodes them identically", () => {
    for (const id of REAL_IDS) {
      const decoded = decodeDocumentId(id);
      expect(decoded, id).not.toBeNull();
      expect(encodeDocumentId(decoded!.tableNumber, decoded!.internalId)).toBe(id);
    }
    // All five storage ids come from one deployment's `_storage` table.
    expect(new Set(REAL_IDS.map(tableNumberOfId)).size).toBe(1);
  });

  it("rejects a changed character (checksum)", () => {
    const id = REAL_IDS[0]!;
    let rejected = 0;
    for (let i = 0; i < id.length; i++) {
      const replacement = id[i] === "a" ? "b" : "a";
      const broken = id.slice(0, i) + replacement + id.slice(i + 1);
      if (decodeDocumentId(broken) === null) rejected++;
    }
    // Every single-character change breaks the Fletcher-16 footer or the canonical form.
    expect(rejected).toBe(id.length);
  });

  it("rejects malformed strings", () => {
    const id = encodeDocumentId(10_001, newInternalId());
    for (const bad of ["", "abc", id.slice(0, -1), id + "0", id.toUpperCase(), id.replace(/.$/, "i"), id.replace(/^./, "u"), "0".repeat(31), "z".repeat(40), "jd72k9x8nmgz5h3qawc4btep0n6y1fvr"]) {
      expect(decodeDocumentId(bad), bad).toBeNull();
      expect(isDocumentIdString(bad)).toBe(false);
    }
  });

  it("refuses to encode what Convex cannot represent", () => {
    expect(() => encodeDocumentId(0, newInternalId())).toThrow();
    expect(() => encodeDocumentId(2 ** 32, newInternalId())).toThrow();
    expect(() => encodeDocumentId(1, new Uint8Array(15))).toThrow();
  });

  it("makes fresh random internal ids", () => {
    const a = newInternalId();
    expect(a).toHaveLength(16);
    expect(Buffer.from(a).equals(Buffer.from(newInternalId()))).toBe(false);
  });
});
