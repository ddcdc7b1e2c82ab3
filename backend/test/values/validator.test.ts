// Expected messages are Convex's, taken from get-convex/convex-backend:
// - crates/common/src/schemas/validator.rs: `ValidationError` (NoMatch "Value does not match
//   validator.", MissingRequiredField, ExtraField, LiteralValuesDoNotMatch, TableNamesDoNotMatch,
//   SystemTableReference), `ValidationContext` ("Path: " + segments), `Display for Validator`.
// - crates/value/src/{lib,object,array,bytes}.rs: how values print (Rust Display).
// - crates/udf/src/validation.rs: "ArgumentValidationError: " prefix;
//   crates/model/src/modules/function_validators.rs: "Expected to receive an object as the
//   function's argument. Instead received: …" and "ReturnsValidationError: " prefix.
// - crates/common/src/schemas/mod.rs: SchemaEnforcementError::Document wording.
import { v, type Validator, type ValidatorJSON } from "convex/values";
import { describe, expect, it } from "vitest";
import { decodeDocumentId, encodeDocumentId, newInternalId } from "../../src/values/ids.js";
import {
  argsValidatorAcceptsAnything,
  documentSchemaErrorPrefix,
  validateValue,
  validationError,
  validatorToString,
} from "../../src/values/validator.js";

const TABLES: Record<number, string> = { 10001: "users", 10002: "posts", 31: "_storage" };
const userId = encodeDocumentId(10001, newInternalId());
const postId = encodeDocumentId(10002, newInternalId());
const storageId = encodeDocumentId(31, newInternalId());
const unknownTableId = encodeDocumentId(999, newInternalId());

/** What the database layer passes: the table of an id's table number, if that table exists. */
function tableNameOfId(id: string): string | null {
  const decoded = decodeDocumentId(id);
  return decoded === null ? null : (TABLES[decoded.tableNumber] ?? null);
}

// The exact JSON a function's exportArgs()/exportReturns() would carry.
const json = (validator: Validator<unknown, "required" | "optional", string>): ValidatorJSON =>
  JSON.parse(JSON.stringify((validator as unknown as { json: ValidatorJSON }).json)) as ValidatorJSON;
const argsJson = (fields: Record<string, Validator<unknown, "required" | "optional", string>>) => json(v.object(fields));

const args = (validator: ValidatorJSON, value: unknown) =>
  validateValue(validator, value as never, { kind: "args", tableNameOfId });
const check = (validator: ValidatorJSON, value: unknown) => validationError(validator, value as never, tableNameOfId);

describe("validatorToString", () => {
  it("prints every kind as Convex does", () => {
    expect(validatorToString(json(v.string()))).toBe("v.string()");
    expect(validatorToString(json(v.number()))).toBe("v.float64()");
    expect(validatorToString(json(v.int64()))).toBe("v.int64()");
    expect(validatorToString(json(v.boolean()))).toBe("v.boolean()");
    expect(validatorToString(json(v.null()))).toBe("v.null()");
    expect(validatorToString(json(v.bytes()))).toBe("v.bytes()");
    expect(validatorToString(json(v.any()))).toBe("v.any()");
    expect(validatorToString(json(v.id("users")))).toBe('v.id("users")');
    expect(validatorToString(json(v.literal("a")))).toBe('v.literal("a")');
    expect(validatorToString(json(v.literal(3)))).toBe("v.literal(3.0)");
    expect(validatorToString(json(v.literal(1.5)))).toBe("v.literal(1.5)");
    expect(validatorToString(json(v.literal(5n)))).toBe("v.literal(<bigint>)");
    expect(validatorToString(json(v.literal(true)))).toBe("v.literal(true)");
    expect(validatorToString(json(v.array(v.string())))).toBe("v.array(v.string())");
    expect(validatorToString(json(v.record(v.string(), v.number())))).toBe("v.record(v.string(), v.float64())");
    expect(validatorToString(json(v.union(v.string(), v.null())))).toBe("v.union(v.string(), v.null())");
    // Object fields print sorted, optional ones wrapped.
    expect(validatorToString(json(v.object({ b: v.optional(v.string()), a: v.number() })))).toBe(
      "v.object({a: v.float64(), b: v.optional(v.string())})",
    );
  });
});

describe("validationError per kind", () => {
  const cases: [string, ValidatorJSON, unknown[], unknown[]][] = [
    ["string", json(v.string()), ["", "x"], [1, null, 1n, true]],
    ["float64", json(v.number()), [0, -0, NaN, Infinity, 1.5], [1n, "1", null]],
    ["int64", json(v.int64()), [0n, -(2n ** 63n)], [0, "0"]],
    ["boolean", json(v.boolean()), [true, false], [0, "true"]],
    ["null", json(v.null()), [null], [0, "null", false]],
    ["bytes", json(v.bytes()), [new ArrayBuffer(2)], ["AA==", [0]]],
    ["any", json(v.any()), [null, 1, "x", [1], { a: 1 }], []],
    ["array", json(v.array(v.number())), [[], [1, 2]], [[1, "2"], "[]", { 0: 1 }]],
    ["literal", json(v.literal("a")), ["a"], ["b", 1, null]],
    ["literal float", json(v.literal(0)), [0], [-0, 0n, "0"]],
    ["literal int64", json(v.literal(5n)), [5n], [5, 6n]],
    ["record", json(v.record(v.string(), v.number())), [{}, { a: 1, b: 2 }], [{ a: "1" }, [1]]],
    ["union", json(v.union(v.string(), v.number())), ["x", 1], [null, true, 1n]],
    ["id", json(v.id("users")), [userId], [postId, storageId, unknownTableId, "not an id", 5]],
  ];
  for (const [name, validator, good, bad] of cases) {
    it(`${name}: accepts ${good.length} values, rejects ${bad.length}`, () => {
      for (const value of good) expect(check(validator, value)).toBeNull();
      for (const value of bad) expect(check(validator, value)).not.toBeNull();
    });
  }
});

describe("messages", () => {
  it("type mismatch at the top level: no Path line", () => {
    expect(check(json(v.string()), 5)).toBe("Value does not match validator.\n\nValue: 5.0\nValidator: v.string()");
    expect(check(json(v.number()), 5n)).toBe("Value does not match validator.\n\nValue: 5\nValidator: v.float64()");
    expect(check(json(v.int64()), 5)).toBe("Value does not match validator.\n\nValue: 5.0\nValidator: v.int64()");
  });

  it("missing required field (args)", () => {
    const validator = argsJson({ name: v.string(), age: v.optional(v.number()) });
    expect(args(validator, { age: 3 })).toBe(
      "ArgumentValidationError: Object is missing the required field `name`. Consider wrapping the field validator in `v.optional(...)` if this is expected.\n\nObject: {age: 3.0}\nValidator: v.object({age: v.optional(v.float64()), name: v.string()})",
    );
    expect(args(validator, { name: "x" })).toBeNull();
    // An undefined field is an absent field (it is dropped on the wire).
    expect(args(validator, { name: "x", age: undefined })).toBeNull();
  });

  it("extra fields are refused", () => {
    expect(args(argsJson({ a: v.string() }), { a: "x", b: 1 })).toBe(
      'ArgumentValidationError: Object contains extra field `b` that is not in the validator.\n\nObject: {a: "x", b: 1.0}\nValidator: v.object({a: v.string()})',
    );
  });

  it("nested paths: fields, array indexes, record keys and values", () => {
    const validator = argsJson({ a: v.object({ b: v.array(v.object({ c: v.string() })) }) });
    expect(args(validator, { a: { b: [{ c: "ok" }, { c: 1 }] } })).toBe(
      "ArgumentValidationError: Value does not match validator.\nPath: .a.b[1].c\nValue: 1.0\nValidator: v.string()",
    );
    expect(args(validator, { a: { b: [{}] } })).toBe(
      "ArgumentValidationError: Object is missing the required field `c`. Consider wrapping the field validator in `v.optional(...)` if this is expected.\nPath: .a.b[0]\nObject: {}\nValidator: v.object({c: v.string()})",
    );
    const record = argsJson({ r: v.record(v.id("users"), v.boolean()) });
    expect(args(record, { r: { [userId]: true } })).toBeNull();
    expect(args(record, { r: { [userId]: "yes" } })).toBe(
      'ArgumentValidationError: Value does not match validator.\nPath: .r.values()\nValue: "yes"\nValidator: v.boolean()',
    );
    expect(args(record, { r: { nope: true } })).toBe(
      'ArgumentValidationError: Value does not match validator.\nPath: .r.keys()\nValue: "nope"\nValidator: v.id("users")',
    );
  });

  it("unions: one message for the whole union, a single member reports its own", () => {
    const validator = argsJson({ u: v.union(v.literal("a"), v.object({ k: v.number() })) });
    expect(args(validator, { u: "a" })).toBeNull();
    expect(args(validator, { u: { k: 1 } })).toBeNull();
    expect(args(validator, { u: { k: "1" } })).toBe(
      'ArgumentValidationError: Value does not match validator.\nPath: .u\nValue: {k: "1"}\nValidator: v.union(v.literal("a"), v.object({k: v.float64()}))',
    );
    expect(check(json(v.union(v.literal("a"))), "b")).toBe('`"b"` does not match literal validator `v.literal("a")`.');
    expect(check(json(v.union()), null)).toBe("Value does not match validator.\n\nValue: null\nValidator: v.union()");
  });

  it("literals: message names the literal, context follows directly", () => {
    expect(args(argsJson({ kind: v.literal("draft") }), { kind: "final" })).toBe(
      'ArgumentValidationError: `"final"` does not match literal validator `v.literal("draft")`.Path: .kind',
    );
  });

  it("ids: wrong table, system table, not an id", () => {
    const validator = argsJson({ id: v.id("users") });
    expect(args(validator, { id: userId })).toBeNull();
    expect(args(validator, { id: postId })).toBe(
      `ArgumentValidationError: Found ID "${postId}" from table \`posts\`, which does not match the table name in validator \`v.id("users")\`.Path: .id`,
    );
    expect(args(validator, { id: storageId })).toBe(
      `ArgumentValidationError: Found ID "${storageId}" from a system table, which does not match the table name in validator \`v.id("users")\`.Path: .id`,
    );
    expect(args(validator, { id: "abc" })).toBe(
      'ArgumentValidationError: Value does not match validator.\nPath: .id\nValue: "abc"\nValidator: v.id("users")',
    );
    // A well-formed id of a table that does not exist is not an id either.
    expect(args(validator, { id: unknownTableId })).toContain("Value does not match validator.");
  });

  it("values print as Convex prints them", () => {
    const value = { s: 'q"\n', i: 3n, f: 1e21, n: null, b: false, y: new Uint8Array([1, 2]).buffer, a: [1, -0, NaN, -Infinity], o: { z: 1e-7 } };
    expect(check(json(v.string()), value)).toBe(
      'Value does not match validator.\n\nValue: {a: [1.0, -0.0, NaN, -inf], b: false, f: 1e21, i: 3, n: null, o: {z: 1e-7}, s: "q\\"\\n", y: b"AQI="}\nValidator: v.string()',
    );
  });

  it("args: not an object, any, and functions without args", () => {
    expect(args(argsJson({}), "x")).toBe(
      'ArgumentValidationError: Expected to receive an object as the function\'s argument. Instead received: "x"',
    );
    expect(args(argsJson({}), {})).toBeNull();
    expect(args(json(v.any()), { whatever: [1] })).toBeNull();
    expect(argsValidatorAcceptsAnything('{"type":"any"}')).toBe(true);
    expect(argsValidatorAcceptsAnything(JSON.stringify(json(v.object({}))))).toBe(false);
  });

  it("returns: prefix, and undefined is null", () => {
    const ctx = { kind: "returns" as const, tableNameOfId };
    expect(validateValue(json(v.null()), undefined, ctx)).toBeNull();
    expect(validateValue(json(v.number()), "x", ctx)).toBe(
      'ReturnsValidationError: Value does not match validator.\n\nValue: "x"\nValidator: v.float64()',
    );
    expect(validateValue(json(v.array(v.id("posts"))), [postId], ctx)).toBeNull();
  });
});

describe("documents", () => {
  const ctx = { kind: "document" as const, tableName: "posts", tableNameOfId };
  const documentType = json(v.object({ title: v.string(), author: v.id("users"), tags: v.optional(v.array(v.string())) }));

  it("ignores system fields and reports the bare error", () => {
    const doc = { _id: postId, _creationTime: 1700000000000, title: "t", author: userId };
    expect(validateValue(documentType, doc, ctx)).toBeNull();
    expect(validateValue(documentType, { ...doc, title: 1 }, ctx)).toBe(
      "Value does not match validator.\nPath: .title\nValue: 1.0\nValidator: v.string()",
    );
    expect(validateValue(documentType, { ...doc, extra: true }, ctx)).toBe(
      `Object contains extra field \`extra\` that is not in the validator.\n\nObject: {author: "${userId}", extra: true, title: "t"}\nValidator: v.object({author: v.id("users"), tags: v.optional(v.array(v.string())), title: v.string()})`,
    );
    expect(documentSchemaErrorPrefix("posts")).toBe(
      'Failed to insert or update a document in table "posts" because it does not match the schema: ',
    );
  });

  it("a union document type reports one message for the union", () => {
    const union = json(v.union(v.object({ kind: v.literal("a") }), v.object({ kind: v.literal("b"), n: v.number() })));
    expect(validateValue(union, { kind: "b", n: 1 }, ctx)).toBeNull();
    expect(validateValue(union, { kind: "c" }, ctx)).toBe(
      'Value does not match validator.\n\nValue: {kind: "c"}\nValidator: v.union(v.object({kind: v.literal("a")}), v.object({kind: v.literal("b"), n: v.float64()}))',
    );
  });

  it("a table without a schema accepts anything", () => {
    expect(validateValue(json(v.any()), { whatever: 1 }, ctx)).toBeNull();
  });
});
