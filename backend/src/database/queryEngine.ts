// Query execution: turns a SerializedQuery (node_modules/convex/src/server/impl/query_impl.ts)
// into an index key range, streams it from SQLite in batches, applies filters
// and limits, and paginates with opaque cursors. The read set records exactly
// the part of the range that was traversed, so a `.first()` is not invalidated
// by writes beyond the row it returned.
import { jsonToConvex, type Value } from "convex/values";
import { BY_CREATION_TIME, indexKeyFields, type IndexInfo, type TableInfo } from "../storage/catalog.js";
import type { KeyRange } from "../storage/documentStore.js";
import { encodeIndexKey, successorKey } from "../values/indexKey.js";
import { matches, literalValue, type Expression } from "./filterExpression.js";
import { DatabaseError } from "./errors.js";
import type { Transaction } from "./transaction.js";
import { SearchCursor, searchPage } from "../search/searchQuery.js";

export type RangeExpression = { type: "Eq" | "Gt" | "Gte" | "Lt" | "Lte"; fieldPath: string; value: unknown };

export interface SerializedQuery {
  source:
    | { type: "FullTableScan"; tableName: string; order: "asc" | "desc" | null }
    | { type: "IndexRange"; indexName: string; range: RangeExpression[]; order: "asc" | "desc" | null }
    | { type: "Search"; indexName: string; filters: unknown[] };
  operators: ({ filter: Expression } | { limit: number })[];
}

const EMPTY = Buffer.alloc(0);

/** The smallest key greater than `key` and every key it prefixes is `key ‖ 0x00`'s successor; the next key after `key` itself is `key ‖ 0x00`. */
function justAfter(key: Buffer): Buffer {
  return Buffer.concat([key, Buffer.from([0])]);
}

interface ResolvedRange {
  table: TableInfo | undefined;
  range: KeyRange | null;
  order: "asc" | "desc";
}

function splitIndexName(indexName: string): [string, string] {
  const dot = indexName.indexOf(".");
  if (dot < 0) throw new DatabaseError(`Invalid index name ${JSON.stringify(indexName)}`);
  return [indexName.slice(0, dot), indexName.slice(dot + 1)];
}

/** Turns Eq prefix + optional bounds on the next field into a byte range. */
export function keyRangeFor(index: IndexInfo, expressions: RangeExpression[]): { low: Buffer; high: Buffer | null } {
  const fields = indexKeyFields(index);
  const prefix: (Value | undefined)[] = [];
  let lower: RangeExpression | undefined;
  let upper: RangeExpression | undefined;
  let boundField: string | undefined;
  for (const expression of expressions) {
    if (expression.type === "Eq") {
      if (lower || upper) throw new DatabaseError("An index range may not use `eq` after a `gt`, `gte`, `lt` or `lte`.");
      const expected = fields[prefix.length];
      if (expression.fieldPath !== expected) {
        throw new DatabaseError(
          `Uncaught Error: The index range must compare index fields in order: expected ${JSON.stringify(expected)} but got ${JSON.stringify(expression.fieldPath)} for index ${index.name} with fields ${JSON.stringify(fields)}.`,
        );
      }
      prefix.push(literalValue(expression.value));
      continue;
    }
    const expected = fields[prefix.length];
    if (expression.fieldPath !== expected || (boundField !== undefined && boundField !== expression.fieldPath)) {
      throw new DatabaseError(
        `The index range may only bound the field after the equalities: expected ${JSON.stringify(expected)} but got ${JSON.stringify(expression.fieldPath)} for index ${index.name}.`,
      );
    }
    boundField = expression.fieldPath;
    if (expression.type === "Gt" || expression.type === "Gte") {
      if (lower) throw new DatabaseError("An index range may have at most one lower bound.");
      lower = expression;
    } else {
      if (upper) throw new DatabaseError("An index range may have at most one upper bound.");
      upper = expression;
    }
  }
  const prefixKey = encodeIndexKey(prefix);
  let low = prefixKey;
  if (lower) {
    const bound = Buffer.concat([prefixKey, encodeIndexKey([literalValue(lower.value)])]);
    low = lower.type === "Gte" ? bound : successorKey(bound) ?? bound;
  }
  let high = prefixKey.length ? successorKey(prefixKey) : null;
  if (upper) {
    const bound = Buffer.concat([prefixKey, encodeIndexKey([literalValue(upper.value)])]);
    high = upper.type === "Lt" ? bound : successorKey(bound);
  }
  return { low, high };
}

export function resolveRange(tx: Transaction, component: string, query: SerializedQuery): ResolvedRange {
  const source = query.source;
  if (source.type === "Search") throw new DatabaseError("Search queries are not supported by this query path.");
  const order = source.order ?? "asc";
  if (source.type === "FullTableScan") {
    const table = tx.catalog.table(component, source.tableName);
    if (!table) return { table, range: null, order };
    const index = table.indexes.get(BY_CREATION_TIME)!;
    return { table, range: { indexId: index.id, low: EMPTY, high: null }, order };
  }
  const [tableName, indexName] = splitIndexName(source.indexName);
  const table = tx.catalog.table(component, tableName);
  if (!table) return { table, range: null, order };
  const index = table.indexes.get(indexName);
  if (!index) {
    throw new DatabaseError(`Index ${tableName}.${indexName} not found.`);
  }
  const { low, high } = keyRangeFor(index, source.range);
  return { table, range: { indexId: index.id, low, high }, order };
}

function operatorsOf(query: SerializedQuery): { filters: Expression[]; limit: number | null } {
  const filters: Expression[] = [];
  let limit: number | null = null;
  for (const operator of query.operators) {
    if ("filter" in operator) filters.push(operator.filter);
    else limit = limit === null ? operator.limit : Math.min(limit, operator.limit);
  }
  return { filters, limit };
}

/**
 * Reads a key range in batches of documents. Keys are not read per row (that
 * cost more than the documents): a batch's last key is fetched to continue,
 * and the key of the last row returned is fetched when the read set is
 * finalized or a cursor needs it.
 */
class RangeCursor {
  private docs: string[] = [];
  private position = 0;
  private batchRange: KeyRange | null = null;
  private batchLastKey: Buffer | null = null;
  private exhausted = false;
  private batchSize: number;
  /** Rows returned so far. */
  returned = 0;
  /** The traversed part of the range, in the read set; null in mutations, which need no read set. */
  private readonly covered: KeyRange | null = null;

  constructor(
    private readonly tx: Transaction,
    private readonly range: KeyRange,
    private readonly order: "asc" | "desc",
    firstBatch: number,
  ) {
    this.batchSize = Math.max(1, Math.min(firstBatch, 1024));
    if (tx.mode === "read") {
      // Until something is read nothing is covered: an empty range at the start of the traversal.
      // Descending from "no upper bound", that is [0xff, ∞): no key starts with 0xff (type tags are small).
      this.covered = tx.recordRange(
        order === "asc"
          ? { indexId: range.indexId, low: range.low, high: range.low }
          : range.high === null
            ? { indexId: range.indexId, low: Buffer.from([0xff]), high: null }
            : { indexId: range.indexId, low: range.high, high: range.high },
      );
      tx.onFinalize(() => this.finalizeCoverage());
    }
  }

  /** The next document's JSON text, or null at the end of the range. */
  next(): string | null {
    if (this.position >= this.docs.length) {
      if (!this.exhausted) this.fill();
      if (this.position >= this.docs.length) return null;
    }
    const json = this.docs[this.position++];
    this.returned++;
    this.tx.limits.recordRead(json.length);
    return json;
  }

  /** The key of the last row `next` returned, or null before the first. */
  lastKey(): Buffer | null {
    if (this.position === 0) return null;
    if (this.position === this.docs.length) return this.batchLastKey;
    return this.tx.store.keyAt(this.batchRange!, this.order, this.position - 1) ?? null;
  }

  /** True when every row of the range has been returned. */
  get done(): boolean {
    return this.exhausted && this.position >= this.docs.length;
  }

  private fill(): void {
    const last = this.batchLastKey;
    const remaining: KeyRange =
      this.order === "asc"
        ? { indexId: this.range.indexId, low: last ? justAfter(last) : this.range.low, high: this.range.high }
        : { indexId: this.range.indexId, low: this.range.low, high: last ?? this.range.high };
    this.docs = this.tx.store.scanDocuments(remaining, this.order, this.batchSize);
    this.position = 0;
    this.batchRange = remaining;
    if (this.docs.length < this.batchSize) this.exhausted = true;
    if (this.docs.length) this.batchLastKey = this.tx.store.keyAt(remaining, this.order, this.docs.length - 1) ?? null;
    this.batchSize = Math.min(this.batchSize * 4, 1024);
  }

  private finalizeCoverage(): void {
    const covered = this.covered!;
    if (this.done) {
      covered.low = this.range.low;
      covered.high = this.range.high;
      return;
    }
    const key = this.lastKey();
    if (!key) return;
    if (this.order === "asc") {
      covered.low = this.range.low;
      covered.high = justAfter(key);
    } else {
      covered.low = key;
      covered.high = this.range.high;
    }
  }
}

/** A `queryStream` in progress. */
export class QueryStream {
  private readonly cursor: { next(): string | null } | null;
  private readonly filters: Expression[];
  private remaining: number | null;

  constructor(tx: Transaction, component: string, query: SerializedQuery) {
    const { filters, limit } = operatorsOf(query);
    this.filters = filters;
    this.remaining = limit;
    if (query.source.type === "Search") {
      // Relevance-ordered results from the search index (search/searchQuery.ts).
      const search = new SearchCursor(tx, component, query.source, limit !== null && filters.length === 0 ? limit : 32);
      this.cursor = { next: () => search.next()?.json ?? null };
      return;
    }
    const { range, order } = resolveRange(tx, component, query);
    const firstBatch = limit !== null && filters.length === 0 ? limit : 32;
    if (range) {
      this.cursor = new RangeCursor(tx, range, order, firstBatch);
    } else {
      // A table that does not exist yet: record the table name's emptiness by
      // watching nothing; creating it later bumps the query through the
      // catalog, which invalidates everything (see Engine).
      this.cursor = null;
    }
  }

  /** The next matching document's JSON text, or null at the end. */
  next(): string | null {
    if (!this.cursor || this.remaining === 0) return null;
    for (;;) {
      const json = this.cursor.next();
      if (json === null) return null;
      if (this.filters.length) {
        const doc = jsonToConvex(JSON.parse(json)) as Record<string, Value>;
        if (!this.filters.every((f) => matches(f, doc))) continue;
      }
      if (this.remaining !== null) this.remaining--;
      return json;
    }
  }
}

// ---- pagination ---------------------------------------------------------------

export const END_CURSOR = "_end";

function encodeCursor(indexId: number, key: Buffer): string {
  return `${indexId}.${key.toString("base64url")}`;
}

function decodeCursor(cursor: string, indexId: number): Buffer {
  const dot = cursor.indexOf(".");
  if (dot < 0 || cursor.slice(0, dot) !== String(indexId)) {
    throw new DatabaseError(
      `Invalid cursor ${JSON.stringify(cursor)}: a pagination cursor can only be used with the query that produced it.`,
    );
  }
  return Buffer.from(cursor.slice(dot + 1), "base64url");
}

export interface PageRequest {
  query: SerializedQuery;
  cursor: string | null;
  endCursor: string | null;
  pageSize: number;
  maximumRowsRead: number | null;
  maximumBytesRead?: number | null;
}

export interface PageResult {
  page: string[];
  isDone: boolean;
  continueCursor: string;
  splitCursor: string | null;
  pageStatus: "SplitRecommended" | "SplitRequired" | null;
}

export function queryPage(tx: Transaction, component: string, request: PageRequest): PageResult {
  if (request.query.source.type === "Search") return searchPage(tx, component, request);
  const { range, order } = resolveRange(tx, component, request.query);
  const { filters, limit } = operatorsOf(request.query);
  if (limit !== null) throw new DatabaseError("`.paginate()` cannot be combined with `.take()` or `.limit()`.");
  if (!range) return { page: [], isDone: true, continueCursor: END_CURSOR, splitCursor: null, pageStatus: null };

  // Narrow the range to the part after `cursor` and up to `endCursor` (inclusive).
  const narrowed: KeyRange = { ...range };
  if (request.cursor === END_CURSOR) {
    return { page: [], isDone: true, continueCursor: END_CURSOR, splitCursor: null, pageStatus: null };
  }
  if (request.cursor !== null) {
    const key = decodeCursor(request.cursor, range.indexId);
    if (order === "asc") narrowed.low = bufferMax(narrowed.low, justAfter(key));
    else narrowed.high = narrowed.high === null ? key : bufferMin(narrowed.high, key);
  }
  const hasEnd = request.endCursor !== null && request.endCursor !== END_CURSOR;
  if (hasEnd) {
    const key = decodeCursor(request.endCursor!, range.indexId);
    if (order === "asc") narrowed.high = narrowed.high === null ? justAfter(key) : bufferMin(narrowed.high, justAfter(key));
    else narrowed.low = bufferMax(narrowed.low, key);
  }

  const cursor = new RangeCursor(tx, narrowed, order, hasEnd || request.endCursor === END_CURSOR ? 256 : Math.min(request.pageSize + 1, 1024));
  const page: string[] = [];
  let bytesRead = 0;
  let pageStatus: PageResult["pageStatus"] = null;
  for (;;) {
    if (!hasEnd && request.endCursor !== END_CURSOR && page.length >= request.pageSize) break;
    const json = cursor.next();
    if (json === null) break;
    bytesRead += json.length;
    if (!filters.length || filters.every((f) => matches(f, jsonToConvex(JSON.parse(json)) as Record<string, Value>))) {
      page.push(json);
    }
    const rowsHit = request.maximumRowsRead !== null && cursor.returned >= request.maximumRowsRead;
    const bytesHit = request.maximumBytesRead != null && bytesRead >= request.maximumBytesRead;
    if (rowsHit || bytesHit) {
      pageStatus = "SplitRequired";
      break;
    }
  }
  const lastKey = cursor.lastKey();
  // With an end cursor the page ends exactly there, whether or not rows remain past it.
  const reachedEnd = cursor.done && !hasEnd;
  const continueCursor = hasEnd && pageStatus === null
    ? request.endCursor!
    : reachedEnd || lastKey === null
      ? END_CURSOR
      : encodeCursor(range.indexId, lastKey);
  let splitCursor: string | null = null;
  if (pageStatus === null && hasEnd && cursor.returned > 2 * Math.max(request.pageSize, 1)) {
    pageStatus = "SplitRecommended";
  }
  if (pageStatus !== null && cursor.returned >= 2) {
    const middle = tx.store.keyAt(narrowed, order, Math.floor((cursor.returned - 1) / 2));
    if (middle) splitCursor = encodeCursor(range.indexId, middle);
  }
  return {
    page,
    isDone: continueCursor === END_CURSOR,
    continueCursor,
    splitCursor,
    pageStatus,
  };
}

function bufferMax(a: Buffer, b: Buffer): Buffer {
  return Buffer.compare(a, b) >= 0 ? a : b;
}

function bufferMin(a: Buffer, b: Buffer): Buffer {
  return Buffer.compare(a, b) <= 0 ? a : b;
}
