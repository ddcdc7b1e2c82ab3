// Running `withSearchIndex(...)` queries: FTS5 MATCH of the query's terms
// (last one as a prefix) and filter tokens, documents with every term first,
// then those with some, each tier in BM25 order; at most 1024 documents, as
// Convex scans; then the query's own `.filter`s and limit. Rows are fetched
// lazily in growing batches, so `.take(10)` reads ten documents, not 1024.
// The read set covers the search index's pseudo range, so any write that
// touches the index (with the same first filter value) re-runs the query.
import type Database from "better-sqlite3";
import { compareValues, jsonToConvex, type Value } from "convex/values";
import { fieldValue, literalValue, matches, type Expression } from "../database/filterExpression.js";
import { DatabaseError } from "../database/errors.js";
import type { PageRequest, PageResult, SerializedQuery } from "../database/queryEngine.js";
import type { SearchIndexSchema } from "../database/schema.js";
import type { Transaction } from "../database/transaction.js";
import type { Connection } from "../storage/sqlite.js";
import { encodeIndexKey, successorKey } from "../values/indexKey.js";
import { filterToken, ftsTableName, searchPseudoIndexId, searchPseudoKey } from "./searchIndexes.js";
import { matchTiers, queryTerms } from "./tokenizer.js";

/** Convex reads at most this many search results per query. */
export const MAX_SEARCH_RESULTS = 1024;

type SearchFilter = { type: "Search"; fieldPath: string; value: string } | { type: "Eq"; fieldPath: string; value: unknown };
type SearchSource = { type: "Search"; indexName: string; filters: SearchFilter[] };
type Statement = Database.Statement<unknown[], unknown>;

const END_CURSOR = "_end";
const statementCache = new WeakMap<Connection, Map<string, Statement>>();

/** Top `limit` matches by rank, then their documents (joined after the limit, so only those are read). */
function rankedStatement(db: Connection, ftsName: string): Statement {
  let perDb = statementCache.get(db);
  if (!perDb) statementCache.set(db, (perDb = new Map()));
  let statement = perDb.get(ftsName);
  if (!statement) {
    const name = `"${ftsName}"`;
    statement = db.prepare(
      `SELECT d.id AS id, d.json AS json FROM (SELECT rowid, rank FROM ${name} WHERE ${name} MATCH ? ORDER BY rank LIMIT ?) m ` +
        `JOIN documents d ON d.rowid = m.rowid ORDER BY m.rank`,
    );
    perDb.set(ftsName, statement);
  }
  return statement;
}

interface ResolvedSearch {
  index: SearchIndexSchema;
  ftsName: string | null;
  tiers: string[];
  equalities: { position: number; value: Value | undefined }[];
}

function resolveSearch(tx: Transaction, component: string, source: SearchSource): ResolvedSearch {
  const dot = source.indexName.indexOf(".");
  const tableName = source.indexName.slice(0, dot);
  const index = tx.schemas.table(component, tableName)?.searchIndexes?.find((i) => i.indexDescriptor === source.indexName.slice(dot + 1));
  if (dot < 0 || !index) throw new DatabaseError(`Index ${source.indexName} not found.`);
  let text: string | null = null;
  const equalities: ResolvedSearch["equalities"] = [];
  for (const filter of source.filters) {
    if (filter.type === "Search") {
      if (filter.fieldPath !== index.searchField) {
        throw new DatabaseError(
          `Search query against ${source.indexName} contains a search filter on ${JSON.stringify(filter.fieldPath)}, ` +
            `but the index's search field is ${JSON.stringify(index.searchField)}.`,
        );
      }
      text = filter.value;
    } else {
      const position = index.filterFields.indexOf(filter.fieldPath);
      if (position < 0) {
        throw new DatabaseError(
          `Search query against ${source.indexName} contains an equality filter on ${JSON.stringify(filter.fieldPath)}, ` +
            `which is not one of the index's filter fields ${JSON.stringify(index.filterFields)}.`,
        );
      }
      equalities.push({ position, value: literalValue(filter.value) });
    }
  }
  if (text === null) throw new DatabaseError(`Search query against ${source.indexName} does not contain any search filters.`);

  const table = tx.catalog.table(component, tableName);
  if (!table) return { index, ftsName: null, tiers: [], equalities };
  const first = equalities.find((e) => e.position === 0);
  const prefix = first ? searchPseudoKey(index, first.value) : encodeIndexKey([index.indexDescriptor]);
  tx.recordRange({ indexId: searchPseudoIndexId(table), low: prefix, high: successorKey(prefix) });
  const tiers = matchTiers(
    queryTerms(text),
    equalities.map((e) => filterToken(e.position, e.value)),
  );
  return { index, ftsName: ftsTableName(table, index.indexDescriptor), tiers, equalities };
}

/** A search source as a query stream's cursor: ranked documents, fetched as they are consumed. */
export class SearchCursor {
  private readonly search: ResolvedSearch;
  private tier = 0;
  private rows: { id: string; json: string }[] = [];
  private position = 0;
  private requested = 0;
  private returned = 0;

  constructor(
    private readonly tx: Transaction,
    component: string,
    source: SerializedQuery["source"],
    /** How many rows the consumer will likely take (`.take(n)`): then ranking runs once. */
    private readonly firstBatch = 32,
  ) {
    this.search = resolveSearch(tx, component, source as SearchSource);
  }

  next(): { id: string; json: string } | null {
    const { tiers, ftsName, equalities, index } = this.search;
    while (ftsName !== null && this.tier < tiers.length && this.returned < MAX_SEARCH_RESULTS) {
      if (this.position >= this.rows.length) {
        const exhausted = this.requested > 0 && this.rows.length < this.requested;
        const budget = MAX_SEARCH_RESULTS - this.returned + this.position;
        if (exhausted || this.requested >= budget) {
          this.tier++;
          this.rows = [];
          this.position = 0;
          this.requested = 0;
          continue;
        }
        // Re-run with a larger limit and continue where we were: ranks are stable within a snapshot.
        this.requested = Math.min(budget, this.requested === 0 ? Math.max(1, this.firstBatch) : this.requested * 8);
        this.rows = rankedStatement(this.tx.store.db, ftsName).all(tiers[this.tier], this.requested) as { id: string; json: string }[];
        continue;
      }
      const row = this.rows[this.position++];
      this.tx.limits.recordRead(row.json.length);
      if (equalities.length) {
        // The filter tokens are hashes: confirm the values, so a collision cannot leak a row.
        const doc = jsonToConvex(JSON.parse(row.json)) as Record<string, Value>;
        const same = equalities.every((e) => {
          const actual = fieldValue(doc, index.filterFields[e.position]);
          return actual === undefined || e.value === undefined ? actual === e.value : compareValues(actual, e.value) === 0;
        });
        if (!same) continue;
      }
      this.returned++;
      return { id: row.id, json: row.json };
    }
    return null;
  }
}

function offsetOf(cursor: string): number {
  const match = /^search:(\d+)$/.exec(cursor);
  if (!match) {
    throw new DatabaseError(`Invalid cursor ${JSON.stringify(cursor)}: a pagination cursor can only be used with the query that produced it.`);
  }
  return Number(match[1]);
}

/** `.paginate()` on a search query: pages are slices of the ranked results; cursors are positions in them. */
export function searchPage(tx: Transaction, component: string, request: PageRequest): PageResult {
  const filters: Expression[] = [];
  for (const operator of request.query.operators) {
    if ("filter" in operator) filters.push(operator.filter);
    else throw new DatabaseError("`.paginate()` cannot be combined with `.take()` or `.limit()`.");
  }
  if (request.cursor === END_CURSOR) return { page: [], isDone: true, continueCursor: END_CURSOR, splitCursor: null, pageStatus: null };
  const cursor = new SearchCursor(tx, component, request.query.source);
  const start = request.cursor === null ? 0 : offsetOf(request.cursor);
  const hasEnd = request.endCursor !== null && request.endCursor !== END_CURSOR;
  const end = hasEnd ? offsetOf(request.endCursor!) : request.endCursor === END_CURSOR ? MAX_SEARCH_RESULTS : start + request.pageSize;
  const page: string[] = [];
  let position = 0;
  let entry: { id: string; json: string } | null = null;
  while (position < end && (entry = cursor.next()) !== null) {
    if (position++ < start) continue;
    if (!filters.length || filters.every((f) => matches(f, jsonToConvex(JSON.parse(entry!.json)) as Record<string, Value>))) {
      page.push(entry.json);
    }
  }
  // Done when the results ran out before the page filled (one look ahead otherwise).
  const done = !hasEnd && (entry === null || cursor.next() === null);
  const continueCursor = hasEnd ? request.endCursor! : done ? END_CURSOR : `search:${position}`;
  return { page, isDone: continueCursor === END_CURSOR, continueCursor, splitCursor: null, pageStatus: null };
}
