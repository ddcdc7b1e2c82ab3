/**
 * The format the demo-district generator (scripts/demo/generate.ts) writes and the seed loader
 * (convex/seed.ts) reads. Pure types and helpers, no Convex imports, so Node scripts can use it.
 *
 * A record is one document to insert: `{ table, ref?, fields }`. Inside `fields`:
 * - `{ ref: "u3" }` (an object with that single key) stands for the id of the record whose `ref`
 *   is "u3"; refs always point to records earlier in the stream, so batches load in order;
 * - `{ file: { mimeType, text } }` stands for a file that must be put in file storage first
 *   (`seed.storeFiles`, an action: mutations cannot store files); the loader swaps in the id;
 * - students' `dateOfBirth` and `medicalConsiderations` are plaintext: `seed.loadBatch`
 *   encrypts them (D14) before they reach the database.
 */

export interface RefValue {
  ref: string;
}

export interface FilePlaceholder {
  file: { mimeType: string; text: string };
}

export type SeedValue =
  | string
  | number
  | boolean
  | RefValue
  | FilePlaceholder
  | SeedValue[]
  | { [field: string]: SeedValue | undefined };

export interface SeedRecord {
  table: SeedTable;
  /** Present when later records point at this one (leaves such as progress points have none). */
  ref?: string;
  fields: { [field: string]: SeedValue | undefined };
}

/** The tables the generator writes, in an order where references only point backwards. */
export const SEED_TABLES = [
  "organizations",
  "users",
  "students",
  "guardianships",
  "studentTeamMembers",
  "evaluations",
  "ieps",
  "goals",
  "progressData",
  "documents",
  "recordsRequests",
  "progressReports",
  "disclosures",
] as const;
export type SeedTable = (typeof SEED_TABLES)[number];

/**
 * D11 binds a signature to a SHA-256 of the IEP's content, which includes its goals; goals load
 * after their IEP, so seeded approvals carry this marker until `seed.signPendingApprovals` runs.
 */
export const PENDING_CONTENT_HASH = "seed:pending-content-hash";

export function isRef(value: unknown): value is RefValue {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === "ref" && typeof (value as RefValue).ref === "string";
}

export function isFilePlaceholder(value: unknown): value is FilePlaceholder {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  const file = (value as FilePlaceholder).file;
  return keys.length === 1 && keys[0] === "file" && typeof file === "object" && file !== null && typeof file.text === "string";
}

/** Every ref a value points to. */
export function refsIn(value: unknown, into: Set<string> = new Set()): Set<string> {
  if (isRef(value)) into.add(value.ref);
  else if (Array.isArray(value)) for (const item of value) refsIn(item, into);
  else if (typeof value === "object" && value !== null) for (const item of Object.values(value)) refsIn(item, into);
  return into;
}

/** A copy of `value` with every ref and file placeholder replaced by `replace`'s answer. */
export function mapPlaceholders(value: unknown, replace: (placeholder: RefValue | FilePlaceholder) => unknown): unknown {
  if (isRef(value) || isFilePlaceholder(value)) return replace(value);
  if (Array.isArray(value)) return value.map((item) => mapPlaceholders(item, replace));
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (item !== undefined) out[key] = mapPlaceholders(item, replace);
    }
    return out;
  }
  return value;
}
