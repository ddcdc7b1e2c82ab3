// Convex's snapshot document encoding ("ConvexExportJSON", announced by a
// `generated_schema.jsonl` holding the single line "uniform"), learned from
// convex-backend `crates/value/src/export.rs`:
//   int64   → a bare JSON integer            42
//   float64 → a JSON number with a dot/exp   42.0, -0.0, 1.5e300
//             NaN/±Infinity as {"$float": "<base64 LE>"}
//   bytes   → {"$bytes": "<base64>"}
//   strings, booleans, null, arrays, objects as in JSON.
// The int64/float64 split lives in the number's spelling, which JSON.parse
// loses; so we write and read that spelling ourselves. Everything here works
// on Convex-encoded JSON (what our store holds), where int64 is
// {"$integer": "<base64 LE>"} and floats are plain numbers.

type Encoded = null | boolean | number | string | Encoded[] | { [key: string]: Encoded };

function int64FromBase64(base64: string): bigint {
  const bytes = Buffer.from(base64, "base64");
  if (bytes.length !== 8) throw new Error(`Malformed $integer ${JSON.stringify(base64)}`);
  return bytes.readBigInt64LE(0);
}

function int64ToBase64(value: bigint): string {
  const bytes = Buffer.alloc(8);
  bytes.writeBigInt64LE(value, 0);
  return bytes.toString("base64");
}

function floatText(value: number): string {
  if (Object.is(value, -0)) return "-0.0";
  const text = String(value);
  return /[.eE]/.test(text) ? text : `${text}.0`;
}

/** Convex-encoded JSON value → its ConvexExportJSON text. */
export function toExportJson(value: Encoded): string {
  if (value === null || typeof value === "boolean" || typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") return floatText(value);
  if (Array.isArray(value)) return `[${value.map(toExportJson).join(",")}]`;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === "$integer" && typeof value.$integer === "string") {
    return int64FromBase64(value.$integer).toString();
  }
  if (keys.length === 1 && keys[0] === "$float" && typeof value.$float === "string") {
    // Convex-encoded JSON keeps -0 (which JSON cannot carry) as $float; the export spells it -0.0.
    const float = Buffer.from(value.$float, "base64").readDoubleLE(0);
    if (Number.isFinite(float)) return floatText(float);
  }
  // $bytes, and $float for NaN and the infinities, are spelled as in Convex-encoded JSON.
  return `{${keys.map((key) => `${JSON.stringify(key)}:${toExportJson(value[key]!)}`).join(",")}}`;
}

/** The stored document text (Convex-encoded JSON) → one export line. */
export function documentToExportLine(storedJson: string): string {
  return toExportJson(JSON.parse(storedJson) as Encoded);
}

/** ConvexExportJSON text → a Convex-encoded JSON value. */
export function parseExportJson(text: string): Encoded {
  const parser = new ExportJsonParser(text);
  const value = parser.value();
  parser.end();
  return value;
}

class ExportJsonParser {
  private at = 0;

  constructor(private readonly text: string) {}

  end(): void {
    this.space();
    if (this.at !== this.text.length) this.fail("unexpected trailing text");
  }

  value(): Encoded {
    this.space();
    const c = this.text.charCodeAt(this.at);
    switch (c) {
      case 0x7b /* { */:
        return this.object();
      case 0x5b /* [ */:
        return this.array();
      case 0x22 /* " */:
        return this.string();
      case 0x74 /* t */:
        return this.literal("true", true);
      case 0x66 /* f */:
        return this.literal("false", false);
      case 0x6e /* n */:
        return this.literal("null", null);
      default:
        if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
        return this.fail("unexpected character");
    }
  }

  private object(): Encoded {
    this.at++; // {
    const out: Record<string, Encoded> = {};
    this.space();
    if (this.text.charCodeAt(this.at) === 0x7d) {
      this.at++;
      return out;
    }
    for (;;) {
      this.space();
      if (this.text.charCodeAt(this.at) !== 0x22) this.fail("expected a field name");
      const key = this.string();
      this.space();
      if (this.text.charCodeAt(this.at) !== 0x3a) this.fail("expected ':'");
      this.at++;
      out[key] = this.value();
      this.space();
      const c = this.text.charCodeAt(this.at++);
      if (c === 0x7d) return out;
      if (c !== 0x2c) this.fail("expected ',' or '}'", this.at - 1);
    }
  }

  private array(): Encoded {
    this.at++; // [
    const out: Encoded[] = [];
    this.space();
    if (this.text.charCodeAt(this.at) === 0x5d) {
      this.at++;
      return out;
    }
    for (;;) {
      out.push(this.value());
      this.space();
      const c = this.text.charCodeAt(this.at++);
      if (c === 0x5d) return out;
      if (c !== 0x2c) this.fail("expected ',' or ']'", this.at - 1);
    }
  }

  private string(): string {
    const start = this.at;
    this.at++; // opening quote
    let escaped = false;
    for (;;) {
      const c = this.text.charCodeAt(this.at++);
      if (Number.isNaN(c)) this.fail("unterminated string", start);
      if (c === 0x5c) {
        escaped = true;
        this.at++;
      } else if (c === 0x22) break;
    }
    const raw = this.text.slice(start, this.at);
    return escaped ? (JSON.parse(raw) as string) : raw.slice(1, -1);
  }

  private number(): Encoded {
    const start = this.at;
    let isFloat = false;
    for (;;) {
      const c = this.text.charCodeAt(this.at);
      if (c === 0x2e || c === 0x65 || c === 0x45) isFloat = true;
      else if (!(c === 0x2d || c === 0x2b || (c >= 0x30 && c <= 0x39))) break;
      this.at++;
    }
    const token = this.text.slice(start, this.at);
    if (isFloat) {
      const value = Number(token);
      if (Number.isNaN(value)) this.fail(`bad number ${token}`, start);
      if (Object.is(value, -0)) {
        const bytes = Buffer.alloc(8);
        bytes.writeDoubleLE(-0, 0);
        return { $float: bytes.toString("base64") };
      }
      return value;
    }
    if (!/^-?(0|[1-9][0-9]*)$/.test(token)) this.fail(`bad number ${token}`, start);
    const big = BigInt(token);
    if (big < -(2n ** 63n) || big >= 2n ** 63n) this.fail(`integer ${token} does not fit in an int64`, start);
    return { $integer: int64ToBase64(big) };
  }

  private literal<T extends Encoded>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.at)) this.fail("unexpected character");
    this.at += word.length;
    return value;
  }

  private space(): void {
    for (;;) {
      const c = this.text.charCodeAt(this.at);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.at++;
      else return;
    }
  }

  private fail(message: string, at = this.at): never {
    throw new SyntaxError(`${message} at position ${at}`);
  }
}
