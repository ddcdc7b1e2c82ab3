// Convex prints values with Rust's Display (crates/value/src/lib.rs): f64 via `{:?}`,
// strings via `{:?}`, bytes as b"<base64>", objects with sorted, unquoted keys.
import { CommitTsPlaceholder, compareValues } from "convex/values";
import { describe, expect, it } from "vitest";
import { formatFloat64, formatRustChar, formatRustString, formatValue } from "../../src/values/display.js";
import { encodeValueKey } from "../../src/values/indexKey.js";

describe("formatFloat64 (Rust {:?})", () => {
  it("uses decimals in [1e-4, 1e16) and exponents outside", () => {
    expect(formatFloat64(1)).toBe("1.0");
    expect(formatFloat64(-2.5)).toBe("-2.5");
    expect(formatFloat64(0.0001)).toBe("0.0001");
    expect(formatFloat64(0.00001)).toBe("1e-5");
    expect(formatFloat64(1234567890123456)).toBe("1234567890123456.0");
    expect(formatFloat64(1e16)).toBe("1e16");
    expect(formatFloat64(1.5e300)).toBe("1.5e300");
    expect(formatFloat64(0)).toBe("0.0");
    expect(formatFloat64(-0)).toBe("-0.0");
    expect(formatFloat64(NaN)).toBe("NaN");
    expect(formatFloat64(-Infinity)).toBe("-inf");
  });
});

describe("strings and values", () => {
  it("escapes like Rust's Debug for str and char", () => {
    expect(formatRustString('a"b\\c\td\u0000\u0007é😀')).toBe('"a\\"b\\\\c\\td\\0\\u{7}é😀"');
    expect(formatRustChar("\u007f")).toBe("'\\u{7f}'");
    expect(formatRustChar("'")).toBe("'\\''");
  });

  it("prints nested values", () => {
    expect(formatValue({ b: [1n, "x"], a: null })).toBe('{a: null, b: [1, "x"]}');
    expect(formatValue(new Uint8Array([255]).buffer)).toBe('b"/w=="');
  });
});

describe("commit timestamp placeholder", () => {
  it("sorts as the largest int64, as compareValues does", () => {
    const placeholder = new CommitTsPlaceholder();
    expect(compareValues(placeholder, 2n ** 63n - 1n)).toBe(0);
    expect(encodeValueKey(placeholder).equals(encodeValueKey(2n ** 63n - 1n))).toBe(true);
    expect(Buffer.compare(encodeValueKey(placeholder), encodeValueKey(0))).toBe(-1);
  });
});
