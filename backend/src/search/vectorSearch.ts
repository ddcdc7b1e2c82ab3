// `ctx.vectorSearch` (syscall `1.0/actions/vectorSearch`, actions only): exact
// cosine similarity between the query vector and every stored vector of the
// index's table whose document passes the filter (`q.eq` on filter fields,
// combined with `q.or`), best `limit` (default 10, at most 256) first, as
// `{_id, _score}`. A brute-force scan: exact, and fast enough for a school's
// tables.
import { fieldValue, matches, type Expression } from "../database/filterExpression.js";
import type { VectorIndexSchema } from "../database/schema.js";
import { forEachDocument } from "../database/tableScan.js";
import type { Transaction } from "../database/transaction.js";
import type { JSONValue } from "../engine/contract.js";
import type { LocalEngine } from "../engine/localEngine.js";
import { SyscallError } from "../runtime/syscalls.js";
import { readSnapshot } from "./snapshotReader.js";

export const DEFAULT_VECTOR_LIMIT = 10;
export const MAX_VECTOR_LIMIT = 256;

export interface VectorQuery {
  indexName: string;
  limit?: number;
  vector: number[];
  expressions: JSONValue;
}

/** Checks that a filter only uses `$eq` on filter fields and `$or`. */
function checkFilter(expression: JSONValue, index: VectorIndexSchema, indexName: string): void {
  const node = expression as Record<string, JSONValue>;
  if (node && typeof node === "object" && "$or" in node && Array.isArray(node.$or)) {
    for (const inner of node.$or) checkFilter(inner, index, indexName);
    return;
  }
  if (node && typeof node === "object" && "$eq" in node && Array.isArray(node.$eq)) {
    const field = (node.$eq[0] as { $field?: string } | null)?.$field;
    if (typeof field === "string" && index.filterFields.includes(field)) return;
    throw new SyscallError(
      `Vector search on ${indexName} filters on ${JSON.stringify(field)}, which is not one of the index's filter fields ${JSON.stringify(index.filterFields)}.`,
    );
  }
  throw new SyscallError(`Vector search filters may only use q.eq on filter fields and q.or; got ${JSON.stringify(expression)}.`);
}

function norm(vector: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < vector.length; i++) sum += vector[i] * vector[i];
  return Math.sqrt(sum);
}

export function vectorSearch(tx: Transaction, component: string, query: VectorQuery): { _id: string; _score: number }[] {
  const dot = query.indexName.indexOf(".");
  const tableName = query.indexName.slice(0, dot);
  const indexName = query.indexName.slice(dot + 1);
  const index = tx.schemas.table(component, tableName)?.vectorIndexes?.find((i) => i.indexDescriptor === indexName);
  if (dot < 0 || !index) throw new SyscallError(`Index ${query.indexName} not found.`);
  const limit = query.limit ?? DEFAULT_VECTOR_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_VECTOR_LIMIT) {
    throw new SyscallError(`Vector search limit must be an integer between 1 and ${MAX_VECTOR_LIMIT}, got ${limit}.`);
  }
  if (query.vector.length !== index.dimensions) {
    throw new SyscallError(
      `Vector search on ${query.indexName} got a vector of length ${query.vector.length}, but the index has ${index.dimensions} dimensions.`,
    );
  }
  if (query.expressions !== null) checkFilter(query.expressions, index, query.indexName);
  const table = tx.catalog.table(component, tableName);
  if (!table) return [];
  const queryNorm = norm(query.vector);
  const best: { _id: string; _score: number }[] = [];
  forEachDocument(tx.store, table, ({ doc, id }) => {
    const stored = fieldValue(doc, index.vectorField);
    // Documents without a vector of the right length are not in the index (as in Convex).
    if (!Array.isArray(stored) || stored.length !== index.dimensions || !stored.every((x) => typeof x === "number")) return;
    if (query.expressions !== null && !matches(query.expressions as Expression, doc)) return;
    const vector = stored as number[];
    let dotProduct = 0;
    for (let i = 0; i < vector.length; i++) dotProduct += vector[i] * query.vector[i];
    const denominator = norm(vector) * queryNorm;
    const score = denominator === 0 ? 0 : dotProduct / denominator;
    if (best.length === limit && score <= best[best.length - 1]._score) return;
    best.push({ _id: id, _score: score });
    best.sort((a, b) => b._score - a._score);
    if (best.length > limit) best.pop();
  });
  return best;
}

/** Adds `1.0/actions/vectorSearch` to the engine's syscalls, keeping any hook already installed. */
export function installVectorSearch(engine: LocalEngine): void {
  const previous = engine.extraAsync;
  engine.extraAsync = (op, args, context) => {
    if (op !== "1.0/actions/vectorSearch") return previous?.(op, args, context);
    if (context.kind !== "action" && context.kind !== "httpAction") {
      return Promise.reject(new SyscallError("ctx.vectorSearch can only be called from an action."));
    }
    try {
      const results = readSnapshot(engine, (tx) => vectorSearch(tx, context.component, args.query as VectorQuery));
      return Promise.resolve({ results } as unknown as JSONValue);
    } catch (error) {
      return Promise.reject(error);
    }
  };
}
