/**
 * Order-preserving binary keys for Convex values.
 *
 * `Buffer.compare(encodeValueKey(a), encodeValueKey(b))` has the sign of
 * `compareValues(a, b)` from `convex/values` for every pair, so SQLite (which
 * compares BLOBs with memcmp) can keep index rows in Convex's order.
 *
 * The scheme follows the FoundationDB tuple-layer idea that Convex itself uses
 * (crates/value/src/sorting.rs): every value starts with a type tag chosen so
 * that tags sort in Convex's type order, variable-length payloads end in an
 * end mark, and embedded zero bytes are escaped. Every encoding is
 * self-delimiting and prefix-free, so a tuple is the plain concatenation of its elements and
 * the key of (a) is a byte prefix of the key of (a, b). The bytes are our own
 * and are not the same as Convex's on-disk keys; only the order matters.
 */
import { CommitTsPlaceholder, type Value } from "convex/values";

// Type tags, in Convex's type order: undefined < null < int64 < float64 <
// boolean < string < bytes < array < object. 0x00 is reserved as the
// terminator of arrays and objects, so every tag sorts after "the end".
const TAG_UNDEFINED = 0x01;
const TAG_NULL = 0x02;
const TAG_INT64 = 0x03;
const TAG_FLOAT64 = 0x04;
const TAG_FALSE = 0x05;
const TAG_TRUE = 0x06;
const TAG_STRING = 0x07;
const TAG_BYTES = 0x08;
const TAG_ARRAY = 0x09;
const TAG_OBJECT = 0x0a;

const TERMINATOR = 0x00;
/** Inside a string or bytes payload: 0x00 0xFF is a zero byte, 0x00 0x01 the end. */
const ESCAPED_ZERO = 0xff;
const PAYLOAD_END = 0x01;
/** Marks "another field follows" inside an object; must sort after TERMINATOR. */
const FIELD_MARKER = 0x01;

const MIN_INT64 = -(2n ** 63n);
const MAX_INT64 = 2n ** 63n - 1n;

/** Growable byte buffer: keys are small, so a doubling array is plenty. */
class KeyWriter {
  private bytes = Buffer.allocUnsafe(64);
  private length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.length + n));
    this.bytes.copy(next, 0, 0, this.length);
    this.bytes = next;
  }

  byte(b: number): void {
    this.reserve(1);
    this.bytes[this.length++] = b;
  }

  /** Writes 8 bytes big-endian from a 64-bit unsigned integer. */
  uint64(n: bigint): void {
    this.reserve(8);
    this.bytes.writeBigUInt64BE(n, this.length);
    this.length += 8;
  }

  /**
   * Payload bytes with every 0x00 written as 0x00 0xFF, then the end mark
   * 0x00 0x01. The end mark sorts below an escaped 0x00 and below every
   * payload byte, so a shorter payload sorts first; and since 0x00 is always
   * followed by 0x01 or 0xFF, no payload's encoding is a byte prefix of
   * another's (which Eq-prefix ranges rely on: [key, successorKey(key)) must
   * hold only that value).
   */
  escaped(data: ArrayLike<number>): void {
    this.reserve(data.length + 2);
    for (let i = 0; i < data.length; i++) {
      const b = data[i]!;
      this.byte(b);
      if (b === 0x00) this.byte(ESCAPED_ZERO);
    }
    this.byte(0x00);
    this.byte(PAYLOAD_END);
  }

  result(): Buffer {
    return Buffer.from(this.bytes.subarray(0, this.length));
  }
}

/**
 * UTF-8 bytes of a string, encoding a lone surrogate as its own three-byte
 * sequence (WTF-8) rather than U+FFFD: that is what `compareValues`'s
 * `compareUTF8` does, so two strings that differ only in lone surrogates
 * still get distinct, correctly ordered keys.
 */
function wtf8(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const cp = s.codePointAt(i)!;
    if (cp > 0xffff) i++;
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    else
      out.push(
        0xf0 | (cp >> 18),
        0x80 | ((cp >> 12) & 0x3f),
        0x80 | ((cp >> 6) & 0x3f),
        0x80 | (cp & 0x3f),
      );
  }
  return out;
}

const float64Bits = (() => {
  const view = new DataView(new ArrayBuffer(8));
  return (n: number): bigint => {
    view.setFloat64(0, n);
    return view.getBigUint64(0);
  };
})();

const SIGN_BIT = 1n << 63n;
const ALL_BITS = (1n << 64n) - 1n;
const NEGATIVE_INFINITY_BITS = 0xfff0_0000_0000_0000n;

/**
 * Maps a float64 to a u64 whose unsigned order is `compareValues`'s order:
 * -NaN < -Infinity < … < -0 < 0 < … < Infinity < +NaN.
 *
 * For everything but negative NaNs this is the IEEE total order (positive:
 * set the sign bit; negative: flip every bit). `compareValues` orders
 * negative NaNs among themselves by their raw bits ascending (the opposite of
 * the total order), so those are mapped below -Infinity in raw-bit order.
 */
function float64SortBits(n: number): bigint {
  const bits = float64Bits(n);
  if ((bits & SIGN_BIT) === 0n) return bits | SIGN_BIT;
  if (Number.isNaN(n)) return bits - (NEGATIVE_INFINITY_BITS + 1n); // 0 … 2^52-2
  return ~bits & ALL_BITS; // -Infinity → 2^52-1, -0 → 2^63-1
}

function writeValue(w: KeyWriter, value: Value | undefined): void {
  if (value === undefined) {
    w.byte(TAG_UNDEFINED);
  } else if (value === null) {
    w.byte(TAG_NULL);
  } else if (typeof value === "bigint" || value instanceof CommitTsPlaceholder) {
    // `compareValues` orders an unresolved commit timestamp as the largest int64.
    const n = typeof value === "bigint" ? value : MAX_INT64;
    if (n < MIN_INT64 || n > MAX_INT64) {
      throw new Error(`BigInt ${n} does not fit into a 64-bit signed integer.`);
    }
    w.byte(TAG_INT64);
    w.uint64(BigInt.asUintN(64, n) ^ SIGN_BIT);
  } else if (typeof value === "number") {
    w.byte(TAG_FLOAT64);
    w.uint64(float64SortBits(value));
  } else if (typeof value === "boolean") {
    w.byte(value ? TAG_TRUE : TAG_FALSE);
  } else if (typeof value === "string") {
    w.byte(TAG_STRING);
    w.escaped(wtf8(value));
  } else if (value instanceof ArrayBuffer) {
    w.byte(TAG_BYTES);
    w.escaped(new Uint8Array(value));
  } else if (Array.isArray(value)) {
    w.byte(TAG_ARRAY);
    for (const element of value) writeValue(w, element);
    w.byte(TERMINATOR);
  } else if (typeof value === "object") {
    // `compareValues` compares objects as the list of [key, value] pairs with
    // keys sorted by JavaScript's default sort (UTF-16 code units), then by
    // field count. Convex field names are ASCII, where that equals byte order.
    w.byte(TAG_OBJECT);
    for (const key of Object.keys(value).sort()) {
      w.byte(FIELD_MARKER);
      w.escaped(wtf8(key));
      writeValue(w, value[key]);
    }
    w.byte(TERMINATOR);
  } else {
    throw new Error(`Cannot encode ${typeof value} as a Convex index key`);
  }
}

/** The key of one value (`undefined` is a missing field, which sorts first). */
export function encodeValueKey(value: Value | undefined): Buffer {
  const w = new KeyWriter();
  writeValue(w, value);
  return w.result();
}

/**
 * The key of a tuple of field values, e.g. the indexed fields of a document
 * (a missing field is `undefined`). A key of a shorter tuple is a byte prefix
 * of the key of every longer tuple that starts with the same values.
 */
export function encodeIndexKey(values: readonly (Value | undefined)[]): Buffer {
  const w = new KeyWriter();
  for (const value of values) writeValue(w, value);
  return w.result();
}

/**
 * The smallest key greater than every key that starts with `prefix`, so that
 * "starts with prefix" is the half-open range [prefix, successorKey(prefix)).
 * Null when no such key exists (prefix empty or all 0xFF): the range is then
 * unbounded above.
 */
export function successorKey(prefix: Buffer): Buffer | null {
  for (let i = prefix.length - 1; i >= 0; i--) {
    if (prefix[i] !== 0xff) {
      const next = Buffer.from(prefix.subarray(0, i + 1));
      next[i] = next[i]! + 1;
      return next;
    }
  }
  return null;
}
