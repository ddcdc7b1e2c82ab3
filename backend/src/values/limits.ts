/**
 * Convex's limits on values and transactions, with Convex's messages.
 *
 * Numbers: docs "Limits" page (npm-packages/docs/docs/production/state/limits.mdx
 * in get-convex/convex-backend) and the backend source that enforces them:
 * crates/common/src/document.rs (MAX_USER_SIZE, MAX_DOCUMENT_NESTING,
 * DocumentValidationError), crates/value/src/{size,array,object}.rs,
 * crates/convex/sync_types/src/identifier.rs (field names),
 * crates/common/src/knobs.rs (per-transaction and argument limits),
 * crates/database/src/{reads,writes}.rs (transaction limit messages).
 *
 * Where the docs and the enforcing code disagree, we follow the code, since
 * that is what a Convex deployment does: the docs say top-level field names
 * are identifiers of at most 64 characters, the code accepts any non-control
 * ASCII name of up to 1024 characters that does not start with "$".
 */
import { getConvexSize, getDocumentSize, type Value } from "convex/values";
import { formatRustChar, formatValue } from "./display.js";

const MiB = 1 << 20;

export const LIMITS = {
  /** Size of a stored document, counting `_id` and `_creationTime` (ConvexValue size). */
  maxDocumentSize: MiB,
  /** Nesting of a stored document; the document object itself is level 1. */
  maxDocumentNesting: 16,
  /** Nesting of any value (arguments, return values). */
  maxValueNesting: 64,
  /** Size of any value. */
  maxValueSize: 32 * MiB,
  maxArrayLength: 8192,
  maxObjectFields: 1024,
  maxFieldNameLength: 1024,
  /** Table names and index names are identifiers of at most this many characters. */
  maxIdentifierLength: 64,
  maxIndexesPerTable: 64,
  maxFieldsPerIndex: 16,
  functionArgsSize: 16 * MiB,
  functionResultSize: 16 * MiB,
  documentsReadPerTransaction: 32_000,
  bytesReadPerTransaction: 16 * MiB,
  /** "Index ranges read": calls to db.get and db.query. */
  indexRangesReadPerTransaction: 4096,
  documentsWrittenPerTransaction: 16_000,
  bytesWrittenPerTransaction: 16 * MiB,
} as const;

/** Convex's size accounting of a value (the Rust `Size` trait, mirrored by convex/values). */
export function valueSize(value: Value): number {
  return getConvexSize(value);
}

/**
 * Formats a byte count like Rust's humansize with BINARY options, which
 * Convex uses in "Value is too large (1.50 MiB > maximum size 1 MiB)":
 * exact multiples without decimals, otherwise two decimals.
 */
export function formatSizeBinary(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let size = bytes;
  let unit = 0;
  while (size >= 1024 && unit < units.length - 1) {
    size /= 1024;
    unit++;
  }
  const text = Number.isInteger(size) ? String(size) : size.toFixed(2);
  return `${text} ${units[unit]}`;
}

/** Convex's `format_bytes` (crates/common/src/fmt.rs), used by the bytes-written limit. */
export function formatBytes(n: number): string {
  if (n === 0) return "0 bytes";
  const units: [number, string][] = [[2 ** 30, "GiB"], [1e9, "GB"], [MiB, "MiB"], [1e6, "MB"], [1024, "KiB"], [1000, "KB"]];
  for (const [unitSize, name] of units) {
    if (n < unitSize) continue;
    if (n % unitSize === 0) return `${n / unitSize} ${name}`;
    if ((n * 10) % unitSize === 0) return `${Math.floor(n / unitSize)}.${Math.floor((n * 10) / unitSize) % 10} ${name}`;
  }
  return `${n} bytes`;
}

const OVER_LIMIT_HELP =
  "Consider using smaller limits in your queries, paginating your queries, or using indexed queries with a selective index range expressions.";

/** The messages Convex gives when a transaction exceeds a limit (reads.rs, writes.rs, udf/helpers.rs). */
export const LIMIT_MESSAGES = {
  tooManyDocumentsRead: () =>
    `Too many documents read in a single function execution (limit: ${LIMITS.documentsReadPerTransaction}). ${OVER_LIMIT_HELP}`,
  tooManyBytesRead: () =>
    `Too many bytes read in a single function execution (limit: ${LIMITS.bytesReadPerTransaction} bytes). ${OVER_LIMIT_HELP}`,
  tooManyReads: () =>
    `Too many reads in a single function execution (limit: ${LIMITS.indexRangesReadPerTransaction}). ${OVER_LIMIT_HELP}`,
  tooManyWrites: () => `Too many writes in a single function execution (limit: ${LIMITS.documentsWrittenPerTransaction})`,
  tooManyBytesWritten: () =>
    `Too many bytes written in a single function execution (limit: ${formatBytes(LIMITS.bytesWrittenPerTransaction)})`,
  /** `functionPath` as Convex prints it, e.g. "messages:send" (or "messages.js:send"). */
  argumentsTooLarge: (functionPath: string, size: number) =>
    `Arguments for ${functionPath} are too large (actual: ${formatSizeBinary(size)}, limit: ${formatSizeBinary(LIMITS.functionArgsSize)})`,
  valueTooLarge: (size: number, limit: number) => `Value is too large (${formatSizeBinary(size)} > maximum size ${formatSizeBinary(limit)})`,
} as const;

/** Convex's rule for field names at any depth (sync_types identifier.rs `check_valid_field_name`). */
export function fieldNameError(name: string): string | null {
  if (name.startsWith("$")) return `Field name ${name} starts with '$', which is reserved.`;
  for (const ch of name) {
    const code = ch.codePointAt(0)!;
    if (code < 0x20 || code >= 0x7f) {
      return `Field name ${name} has invalid character ${formatRustChar(ch)}: Field names can only contain non-control ASCII characters`;
    }
  }
  if (name.length > LIMITS.maxFieldNameLength) {
    return `Field name is too long (${name.length} > maximum ${LIMITS.maxFieldNameLength})`;
  }
  return null;
}

const isObject = (value: Value): value is { [key: string]: Value | undefined } =>
  typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof ArrayBuffer) && Object.getPrototypeOf(value) === Object.prototype;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Checks that apply to every Convex value (arguments, return values,
 * documents): field names, array length, field count, nesting. Returns the
 * first violation's message, or null. Nesting: scalars 0, arrays and objects
 * 1 + their deepest element.
 */
export function checkValue(value: Value): string | null {
  const error = walk(value);
  if (typeof error === "string") return error;
  if (error > LIMITS.maxValueNesting) {
    return `Value is too nested (nested ${error} levels deep > maximum nesting ${LIMITS.maxValueNesting})`;
  }
  const size = getConvexSize(value);
  if (size > LIMITS.maxValueSize) return LIMIT_MESSAGES.valueTooLarge(size, LIMITS.maxValueSize);
  return null;
}

/** The nesting of `value`, or the first violation's message. */
function walk(value: Value): number | string {
  if (typeof value === "string") {
    // Convex strings are Unicode scalar sequences; JSON with a lone surrogate
    // escape does not even parse on Convex's side. (Our own wording.)
    return LONE_SURROGATE.test(value) ? `String ${formatValue(value)} contains an unpaired surrogate, which is not valid Unicode` : 0;
  }
  if (Array.isArray(value)) {
    if (value.length > LIMITS.maxArrayLength) {
      return `Array length is too long (${value.length} > maximum length ${LIMITS.maxArrayLength})`;
    }
    let deepest = 0;
    for (const element of value) {
      const inner = walk(element);
      if (typeof inner === "string") return inner;
      deepest = Math.max(deepest, inner);
    }
    return 1 + deepest;
  }
  if (isObject(value)) {
    const keys = Object.keys(value).filter((k) => value[k] !== undefined);
    for (const key of keys) {
      const error = fieldNameError(key);
      if (error) return error;
    }
    if (keys.length > LIMITS.maxObjectFields) {
      return `Object has too many fields (${keys.length} > maximum number ${LIMITS.maxObjectFields})`;
    }
    let deepest = 0;
    for (const key of keys) {
      const inner = walk(value[key]!);
      if (typeof inner === "string") return inner;
      deepest = Math.max(deepest, inner);
    }
    return 1 + deepest;
  }
  return 0;
}

function nesting(value: Value): number {
  if (Array.isArray(value)) return 1 + Math.max(0, ...value.map(nesting));
  if (isObject(value)) return 1 + Math.max(0, ...Object.values(value).map((v) => (v === undefined ? 0 : nesting(v))));
  return 0;
}

/**
 * Checks a document before it is written, in Convex's order: value rules
 * (field names, array length, field count), then document rules (nesting,
 * top-level "_" fields, reported as Convex's InvalidDocumentError), then the
 * 1 MiB size limit. `value` may include `_id` / `_creationTime` or not; when
 * they are missing, their size is estimated as Convex's `getDocumentSize`
 * does (an id of 32 characters). Returns null when the document is fine.
 */
export function checkDocumentValue(value: Record<string, Value>, opts: { isSystemTable?: boolean } = {}): string | null {
  const valueError = checkValue(value);
  if (valueError !== null) return valueError;

  const violations: string[] = [];
  const depth = nesting(value);
  if (depth > LIMITS.maxDocumentNesting) {
    violations.push(`Document is too nested (nested ${depth} levels deep > maximum nesting ${LIMITS.maxDocumentNesting})`);
  }
  if (!opts.isSystemTable) {
    for (const field of Object.keys(value)) {
      if (field === "_id" || field === "_creationTime" || value[field] === undefined) continue;
      if (field.startsWith("_")) {
        violations.push(`Field '${field}' starts with an underscore, which is only allowed for system fields like '_id'`);
      }
    }
  }
  if (violations.length > 0) {
    return `Document(value: ${formatValue(value)}) isn't a valid document: ${violations.join("\n ")}`;
  }

  const size = getDocumentSize(value);
  if (size > LIMITS.maxDocumentSize) return LIMIT_MESSAGES.valueTooLarge(size, LIMITS.maxDocumentSize);
  return null;
}
