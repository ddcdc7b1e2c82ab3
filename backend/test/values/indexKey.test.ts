import { compareValues, type Value } from "convex/values";
import { describe, expect, it } from "vitest";
import { encodeIndexKey, encodeValueKey, successorKey } from "../../src/values/indexKey.js";

/** mulberry32: a small seeded generator so failures are reproducible. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function floatFromBits(bits: bigint): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, bits);
  return view.getFloat64(0);
}

const SPECIAL_NUMBERS = [
  0, -0, 1, -1, 0.5, -0.5, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, -Number.MIN_VALUE,
  Infinity, -Infinity, NaN, floatFromBits(0xfff8_0000_0000_0000n), floatFromBits(0x7ff0_0000_0000_0001n),
  floatFromBits(0xfff0_0000_0000_0001n), floatFromBits(0xffff_ffff_ffff_ffffn), 1e-310, 2 ** 53, -(2 ** 53),
];
const SPECIAL_BIGINTS = [0n, 1n, -1n, 127n, 128n, -128n, -129n, 2n ** 31n, -(2n ** 31n), 2n ** 63n - 1n, -(2n ** 63n)];
const STRING_PIECES = ["", "a", "b", "A", "\u0000", "\u0001", "\u007f", "é", "\u07ff", "\u0800", "\uffff",
  "\ud800", "\udc00", "\udbff", "😀", "\ud83d\ude00", "𐀀", "z", "\u00ff", "\uff00"];
const KEYS = ["a", "b", "aa", "_x", "A", "z", "a b", ""];

function randomValue(rand: () => number, depth: number): Value {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const kind = Math.floor(rand() * (depth > 2 ? 7 : 9));
  switch (kind) {
    case 0:
      return null;
    case 1:
      return rand() < 0.5 ? pick(SPECIAL_BIGINTS) : BigInt(Math.floor((rand() - 0.5) * 2 ** 40));
    case 2:
      return rand() < 0.4 ? pick(SPECIAL_NUMBERS) : (rand() - 0.5) * 10 ** Math.floor(rand() * 20 - 10);
    case 3:
      return rand() < 0.5;
    case 4:
    case 5: {
      let s = "";
      const n = Math.floor(rand() * 4);
      for (let i = 0; i < n; i++) s += pick(STRING_PIECES);
      return s;
    }
    case 6: {
      const n = Math.floor(rand() * 4);
      const bytes = new Uint8Array(n);
      for (let i = 0; i < n; i++) bytes[i] = pick([0, 1, 0x7f, 0xfe, 0xff, Math.floor(rand() * 256)]);
      return bytes.buffer;
    }
    case 7: {
      const n = Math.floor(rand() * 4);
      return Array.from({ length: n }, () => randomValue(rand, depth + 1));
    }
    default: {
      const n = Math.floor(rand() * 3);
      const obj: Record<string, Value> = {};
      for (let i = 0; i < n; i++) obj[pick(KEYS)] = randomValue(rand, depth + 1);
      return obj;
    }
  }
}

const sign = (n: number) => (n < 0 ? -1 : n > 0 ? 1 : 0);
const describeValue = (v: Value | undefined) =>
  JSON.stringify(v, (_k, x) =>
    typeof x === "bigint" ? `${x}n` : x instanceof ArrayBuffer ? `bytes(${[...new Uint8Array(x)]})` : Object.is(x, -0) ? "-0" : typeof x === "number" && !Number.isFinite(x) ? String(x) : x,
  );

function expectSameOrder(a: Value | undefined, b: Value | undefined) {
  const expected = sign(compareValues(a, b));
  const actual = sign(Buffer.compare(encodeValueKey(a), encodeValueKey(b)));
  if (actual !== expected) {
    throw new Error(`order mismatch for ${describeValue(a)} vs ${describeValue(b)}: compareValues ${expected}, keys ${actual}`);
  }
}

describe("encodeValueKey", () => {
  it("orders thousands of random pairs exactly like compareValues", () => {
    const rand = seededRandom(20240611);
    const values: Value[] = Array.from({ length: 3000 }, () => randomValue(rand, 0));
    // Neighbours in a random order, plus every pair of a smaller sample.
    for (let i = 1; i < values.length; i++) expectSameOrder(values[i - 1], values[i]);
    const sample = values.slice(0, 250);
    for (const a of sample) for (const b of sample) expectSameOrder(a, b);
  });

  it("sorting by key equals sorting by compareValues", () => {
    const rand = seededRandom(7);
    const values: Value[] = Array.from({ length: 2000 }, () => randomValue(rand, 0));
    const byCompare = [...values].sort(compareValues).map((v) => encodeValueKey(v).toString("hex"));
    const byKey = values.map((v) => encodeValueKey(v)).sort(Buffer.compare).map((k) => k.toString("hex"));
    expect(byKey).toEqual(byCompare);
  });

  it("orders the types as Convex does", () => {
    const ladder: (Value | undefined)[] = [undefined, null, -(2n ** 63n), 2n ** 63n - 1n, -Infinity, Infinity, false, true, "", "z", new ArrayBuffer(0), [], {}];
    for (let i = 1; i < ladder.length; i++) {
      expect(Buffer.compare(encodeValueKey(ladder[i - 1]), encodeValueKey(ladder[i]))).toBe(-1);
    }
  });

  it("handles the float edge cases", () => {
    const ordered = [floatFromBits(0xffff_ffff_ffff_ffffn), floatFromBits(0xfff0_0000_0000_0001n), -Infinity, -1, -Number.MIN_VALUE, -0, 0, Number.MIN_VALUE, 1, Infinity, NaN];
    for (let i = 1; i < ordered.length; i++) expectSameOrder(ordered[i - 1], ordered[i]);
    expect(encodeValueKey(-0).equals(encodeValueKey(0))).toBe(false);
    expect(encodeValueKey(NaN).equals(encodeValueKey(NaN))).toBe(true);
    for (const a of SPECIAL_NUMBERS) for (const b of SPECIAL_NUMBERS) expectSameOrder(a, b);
  });

  it("handles strings with NUL, surrogate pairs and lone surrogates (UTF-8 order, not UTF-16)", () => {
    // In UTF-16 "\uffff" > "😀" (0xD83D), in UTF-8 (and compareValues) it is smaller.
    expect(compareValues("\uffff", "😀")).toBeLessThan(0);
    expect(Buffer.compare(encodeValueKey("\uffff"), encodeValueKey("😀"))).toBe(-1);
    const strings = ["", "\u0000", "\u0000\u0000", "\u0000a", "a", "a\u0000", "a\u0000b", "ab", "\ud800", "\ud800x", "\ud83d\ude00"];
    for (const a of strings) for (const b of strings) expectSameOrder(a, b);
  });

  it("handles int64 extremes and rejects what is not an int64", () => {
    for (const a of SPECIAL_BIGINTS) for (const b of SPECIAL_BIGINTS) expectSameOrder(a, b);
    expect(() => encodeValueKey(2n ** 63n)).toThrow("does not fit into a 64-bit signed integer");
    expect(() => encodeValueKey(-(2n ** 63n) - 1n)).toThrow();
  });

  it("handles nested arrays and objects", () => {
    const values: Value[] = [[], [[]], [[], []], [[[]]], [null], [1], [1, 2], [[1], 2], [[1, 2]], {}, { a: [] }, { a: {} }, { a: 1 }, { a: 1, b: 1 }, { b: 0 }, { aa: 0 }, { "": 0 }];
    for (const a of values) for (const b of values) expectSameOrder(a, b);
  });
});

describe("encodeIndexKey", () => {
  it("makes the key of a tuple a prefix of the key of every extension", () => {
    const rand = seededRandom(99);
    for (let i = 0; i < 500; i++) {
      const a = randomValue(rand, 0);
      const b = randomValue(rand, 0);
      const c = randomValue(rand, 0);
      const short = encodeIndexKey([a]);
      const long = encodeIndexKey([a, b, c]);
      expect(long.subarray(0, short.length).equals(short)).toBe(true);
      expect(encodeIndexKey([a, b]).equals(Buffer.concat([encodeValueKey(a), encodeValueKey(b)]))).toBe(true);
    }
  });

  it("orders tuples field by field, a missing field first", () => {
    const rand = seededRandom(3);
    for (let i = 0; i < 1000; i++) {
      const t1 = [randomValue(rand, 1), rand() < 0.2 ? undefined : randomValue(rand, 1)];
      const t2 = [rand() < 0.3 ? t1[0]! : randomValue(rand, 1), rand() < 0.2 ? undefined : randomValue(rand, 1)];
      const expected = sign(compareValues(t1[0], t2[0]) || compareValues(t1[1], t2[1]));
      expect(sign(Buffer.compare(encodeIndexKey(t1), encodeIndexKey(t2)))).toBe(expected);
    }
  });

  it("never lets one value's key be a prefix of a different value's key", () => {
    const rand = seededRandom(11);
    const keys = Array.from({ length: 400 }, () => encodeValueKey(randomValue(rand, 0)));
    for (const a of keys) {
      for (const b of keys) {
        if (a.length < b.length && b.subarray(0, a.length).equals(a)) throw new Error(`${a.toString("hex")} is a prefix of ${b.toString("hex")}`);
      }
    }
  });
});

describe("successorKey", () => {
  it("bounds exactly the keys that start with the prefix", () => {
    const rand = seededRandom(5);
    for (let i = 0; i < 300; i++) {
      const first = randomValue(rand, 0);
      const prefix = encodeIndexKey([first]);
      const upper = successorKey(prefix)!;
      expect(Buffer.compare(prefix, upper)).toBe(-1);
      const inside = encodeIndexKey([first, randomValue(rand, 0)]);
      expect(Buffer.compare(inside, upper)).toBe(-1);
      const other = randomValue(rand, 0);
      const outside = encodeIndexKey([other, randomValue(rand, 0)]);
      const startsWith = outside.subarray(0, prefix.length).equals(prefix);
      const inRange = Buffer.compare(outside, prefix) >= 0 && Buffer.compare(outside, upper) < 0;
      expect(inRange).toBe(startsWith);
    }
  });

  it("keeps an Eq range on '' or empty bytes free of values that start with a zero byte", () => {
    const cases: [Value, Value][] = [["", "\u0000"], ["", "\u0000\u0000x"], [new ArrayBuffer(0), new Uint8Array([0, 0xfe]).buffer], ["a", "a\u0000"]];
    for (const [eq, other] of cases) {
      const prefix = encodeIndexKey([eq]);
      const upper = successorKey(prefix)!;
      const key = encodeIndexKey([other, 1]);
      expect(Buffer.compare(key, prefix) >= 0 && Buffer.compare(key, upper) < 0).toBe(false);
    }
  });

  it("carries over trailing 0xFF bytes and returns null when nothing is larger", () => {
    expect(successorKey(Buffer.from([1, 2, 3]))).toEqual(Buffer.from([1, 2, 4]));
    expect(successorKey(Buffer.from([1, 0xff, 0xff]))).toEqual(Buffer.from([2]));
    expect(successorKey(Buffer.from([0xff, 0xff]))).toBeNull();
    expect(successorKey(Buffer.alloc(0))).toBeNull();
  });
});
