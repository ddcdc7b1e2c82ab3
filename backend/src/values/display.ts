/**
 * Convex's text rendering of values inside error messages ("Value: …",
 * "Object: …"). Convex's backend prints values with Rust's `Display`
 * (crates/value/src/lib.rs, object.rs, array.rs, bytes.rs), which differs
 * from JSON: int64 without an `n`, floats in Rust's `{:?}` style (`1.0`,
 * `1e16`, `inf`, `NaN`), strings as Rust debug strings, object keys sorted
 * and unquoted, bytes as `b"<base64>"`.
 */
import { CommitTsPlaceholder, type Value } from "convex/values";

/** Rust's `{:?}` for f64: shortest round-trip digits, exponent form outside [1e-4, 1e16). */
export function formatFloat64(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (n === Infinity) return "inf";
  if (n === -Infinity) return "-inf";
  if (n === 0) return Object.is(n, -0) ? "-0.0" : "0.0";
  const abs = Math.abs(n);
  if (abs >= 1e-4 && abs < 1e16) {
    // JS prints plain decimals throughout this range, with the same shortest digits as Rust.
    const text = String(n);
    return text.includes(".") ? text : `${text}.0`;
  }
  return n.toExponential().replace("e+", "e");
}

/** Rust's `{:?}` for str: double quotes, escapes for quotes, backslashes and control characters. */
export function formatRustString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (cp === 0) out += "\\0";
    // Control characters and lone surrogates. (Rust also escapes some other
    // non-printable Unicode, e.g. combining marks at the start; rare enough to skip.)
    else if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || (cp >= 0xd800 && cp <= 0xdfff)) {
      out += `\\u{${cp.toString(16)}}`;
    } else out += ch;
  }
  return out + '"';
}

/** Rust's `{:?}` for a char, as in "has invalid character 'é'". */
export function formatRustChar(ch: string): string {
  if (ch === "'") return "'\\''";
  if (ch === '"') return "'\"'";
  return `'${formatRustString(ch).slice(1, -1)}'`;
}

/** A Convex value as Convex's backend prints it in error messages. */
export function formatValue(value: Value | undefined): string {
  if (value === undefined) return "undefined";
  if (value === null) return "null";
  if (typeof value === "bigint") return value.toString();
  if (value instanceof CommitTsPlaceholder) return value.toString();
  if (typeof value === "number") return formatFloat64(value);
  if (typeof value === "boolean") return String(value);
  if (typeof value === "string") return formatRustString(value);
  if (value instanceof ArrayBuffer) return `b"${Buffer.from(value).toString("base64")}"`;
  if (Array.isArray(value)) return `[${value.map(formatValue).join(", ")}]`;
  const fields = sortedFieldNames(value)
    .filter((k) => value[k] !== undefined)
    .map((k) => `${k}: ${formatValue(value[k])}`);
  return `{${fields.join(", ")}}`;
}

/** Field names in Convex's order (byte order; field names are ASCII). */
export function sortedFieldNames(object: object): string[] {
  return Object.keys(object).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}
