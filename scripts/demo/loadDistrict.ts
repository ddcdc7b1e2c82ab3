/**
 * Streams generated records into a deployment through the three internal functions of
 * convex/seed.ts. Transport-agnostic: load.ts passes calls over HTTP with the admin key, the
 * tests pass convex-test calls. Memory stays bounded: one batch at a time plus the ref → id map
 * of records that others point at (progress points have no ref).
 */
import {
  isFilePlaceholder,
  mapPlaceholders,
  refsIn,
  type FilePlaceholder,
  type SeedRecord,
} from "../../convex/model/seedRecords";

export interface SeedCalls {
  storeFiles(files: FilePlaceholder["file"][]): Promise<string[]>;
  loadBatch(args: { records: { table: string; ref?: string; fields: unknown }[]; refs: Record<string, string> }): Promise<Record<string, string>>;
  signPendingApprovals(iepIds: string[]): Promise<number>;
}

export interface LoadResult {
  documents: number;
  batches: number;
  ids: Map<string, string>;
  signedIeps: number;
}

export const DEFAULT_BATCH_SIZE = 300;
const SIGN_BATCH_SIZE = 100;

export function* batchesOf<T>(items: Iterable<T>, size: number): Generator<T[]> {
  let batch: T[] = [];
  for (const item of items) {
    batch.push(item);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

export async function loadDistrict(
  records: Iterable<SeedRecord>,
  calls: SeedCalls,
  options: { batchSize?: number; onBatch?: (loaded: number) => void } = {},
): Promise<LoadResult> {
  const ids = new Map<string, string>();
  const iepIds: string[] = [];
  let documents = 0;
  let batches = 0;
  for (const batch of batchesOf(records, options.batchSize ?? DEFAULT_BATCH_SIZE)) {
    // 1. Files first (an action), in the order their placeholders appear.
    const files: FilePlaceholder["file"][] = [];
    for (const record of batch) {
      mapPlaceholders(record.fields, (p) => {
        if (isFilePlaceholder(p)) files.push(p.file);
        return p;
      });
    }
    const stored = files.length > 0 ? await calls.storeFiles(files) : [];
    let next = 0;
    const prepared = batch.map((record) => ({
      table: record.table,
      ...(record.ref !== undefined ? { ref: record.ref } : {}),
      fields: mapPlaceholders(record.fields, (p) => (isFilePlaceholder(p) ? stored[next++] : p)),
    }));

    // 2. The ids of earlier batches' records that this batch points at.
    const local = new Set(batch.flatMap((r) => (r.ref !== undefined ? [r.ref] : [])));
    const needed: Record<string, string> = {};
    for (const record of batch) {
      for (const ref of refsIn(record.fields)) {
        if (local.has(ref)) continue;
        const resolved = ids.get(ref);
        if (resolved === undefined) throw new Error(`Record of ${record.table} refers to "${ref}" before it was loaded`);
        needed[ref] = resolved;
      }
    }

    const created = await calls.loadBatch({ records: prepared, refs: needed });
    for (const [ref, createdId] of Object.entries(created)) ids.set(ref, createdId);
    for (const record of batch) {
      if (record.table === "ieps" && record.ref !== undefined) iepIds.push(created[record.ref]);
    }
    documents += batch.length;
    batches += 1;
    options.onBatch?.(documents);
  }

  // 3. D11 content hashes, now that every goal is in.
  let signedIeps = 0;
  for (const chunk of batchesOf(iepIds, SIGN_BATCH_SIZE)) signedIeps += await calls.signPendingApprovals(chunk);
  return { documents, batches, ids, signedIeps };
}
