// Turning text into search terms, the same way for documents and queries.
// Like Convex (Tantivy's simple tokenizer) words are runs of letters and
// digits, lowercased. We also fold accents (é → e, as SQLite's
// `remove_diacritics 2` does) and keep names with inner apostrophes or
// hyphens findable both ways: "O'Brien" is indexed as `o brien obrien`,
// "Jean-Luc" as `jean luc jeanluc`, so "obrien", "O'Brien", "brien" and
// "jean luc" all find them.

/** Convex reads at most this many terms of a search query (docs: "Search … up to 16 terms"). */
export const MAX_QUERY_TERMS = 16;

const WORD = /[\p{L}\p{N}]+(?:['’‘`\-‐‑][\p{L}\p{N}]+)*/gu;
const JOINERS = /['’‘`\-‐‑]/u;

function fold(text: string): string {
  return text.normalize("NFKD").replace(/\p{M}+/gu, "").toLowerCase();
}

function words(text: string): string[] {
  return fold(text).match(WORD) ?? [];
}

/** The text stored in the FTS5 column for a document's search field. */
export function indexedText(text: string): string {
  const out: string[] = [];
  for (const word of words(text)) {
    const parts = word.split(JOINERS);
    if (parts.length > 1) out.push(...parts, parts.join(""));
    else out.push(word);
  }
  return out.join(" ");
}

/**
 * A query's terms, at most MAX_QUERY_TERMS, duplicates dropped. A compound
 * word becomes its joined form, which the index holds for every compound.
 */
export function queryTerms(query: string): string[] {
  const terms: string[] = [];
  for (const word of words(query)) {
    const term = word.split(JOINERS).join("");
    if (!terms.includes(term)) terms.push(term);
    if (terms.length === MAX_QUERY_TERMS) break;
  }
  return terms;
}

function phrase(terms: string[], i: number): string {
  return i === terms.length - 1 ? `"${terms[i]}"*` : `"${terms[i]}"`;
}

/**
 * FTS5 MATCH expressions, best tier first; BM25 orders each tier. Convex
 * returns documents matching any term (the last one also as a prefix, for
 * search-as-you-type) and ranks those matching more terms higher. Tiers:
 * documents with every term; then, for each whole-word term in query order,
 * documents with that term not in an earlier tier; then those with only the
 * prefix. Scoring one "any term" query would rank every document a short
 * prefix matches (most of a table); a tier is only run when the earlier ones
 * did not fill the request. Terms are letters and digits only, so quoting
 * them keeps FTS5 syntax out.
 */
export function matchTiers(terms: string[], filterTokens: string[]): string[] {
  if (terms.length === 0) return [];
  const filters = filterTokens.map((token) => ` AND filters : "${token}"`).join("");
  const all = `body : (${terms.map((_, i) => phrase(terms, i)).join(" AND ")})`;
  const tiers = [`${all}${filters}`];
  if (terms.length === 1) return tiers;
  for (let i = 0; i < terms.length; i++) {
    const earlier = terms.slice(0, i).map((_, j) => ` NOT body : ${phrase(terms, j)}`).join("");
    tiers.push(`(body : ${phrase(terms, i)}${filters}) NOT (${all})${earlier}`);
  }
  return tiers;
}
