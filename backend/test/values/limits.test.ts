// Limits and messages from get-convex/convex-backend: crates/common/src/document.rs
// (MAX_USER_SIZE, MAX_DOCUMENT_NESTING, DocumentValidationError, "isn't a valid document"),
// crates/value/src/size.rs ("Value is too large (… > maximum size …)", "Value is too nested"),
// crates/value/src/array.rs ("Array length is too long"), crates/value/src/object.rs
// ("Object has too many fields"), crates/convex/sync_types/src/identifier.rs (field names),
// crates/common/src/knobs.rs and crates/database/src/{reads,writes}.rs (transaction limits),
// crates/udf/src/helpers.rs (argument size); numbers also on the docs "Limits" page.
import { getConvexSize, type Value } from "convex/values";
import { describe, expect, it } from "vitest";
import { encodeDocumentId, newInternalId } from "../../src/values/ids.js";
import {
  LIMIT_MESSAGES,
  LIMITS,
  checkDocumentValue,
  checkValue,
  fieldNameError,
  formatBytes,
  formatSizeBinary,
  valueSize,
} from "../../src/values/limits.js";

function nestedObjects(levels: number): Record<string, Value> {
  let value: Record<string, Value> = { leaf: 1 };
  for (let i = 1; i < levels; i++) value = { inner: value };
  return value;
}

describe("LIMITS", () => {
  it("has Convex's numbers", () => {
    expect(LIMITS).toMatchObject({
      maxDocumentSize: 1_048_576,
      maxDocumentNesting: 16,
      maxArrayLength: 8192,
      maxObjectFields: 1024,
      maxFieldNameLength: 1024,
      functionArgsSize: 16 * 1_048_576,
      documentsReadPerTransaction: 32_000,
      bytesReadPerTransaction: 16 * 1_048_576,
      documentsWrittenPerTransaction: 16_000,
      bytesWrittenPerTransaction: 16 * 1_048_576,
      indexRangesReadPerTransaction: 4096,
    });
  });
});

describe("valueSize", () => {
  it("follows Convex's size accounting", () => {
    expect(valueSize(null)).toBe(1);
    expect(valueSize(1)).toBe(9);
    expect(valueSize(1n)).toBe(9);
    expect(valueSize("é")).toBe(4); // marker + 2 UTF-8 bytes + terminator
    expect(valueSize({ ab: [true] })).toBe(2 + 3 + 3);
    expect(valueSize({ a: "x" })).toBe(getConvexSize({ a: "x" }));
  });
});

describe("checkDocumentValue", () => {
  it("accepts an ordinary document, with or without system fields", () => {
    expect(checkDocumentValue({ title: "x", tags: ["a"], n: 1 })).toBeNull();
    expect(checkDocumentValue({ _id: encodeDocumentId(10001, newInternalId()), _creationTime: 1.7e12, title: "x" })).toBeNull();
  });

  it("refuses documents over 1 MiB, counting the system fields", () => {
    // 1 MiB minus the object overhead, the field name and the system-field estimate (38 + 23).
    const room = LIMITS.maxDocumentSize - 2 - (1 + 1) - 2 - 38 - 23;
    expect(checkDocumentValue({ s: "x".repeat(room) })).toBeNull();
    expect(checkDocumentValue({ s: "x".repeat(room + 1) })).toBe("Value is too large (1.00 MiB > maximum size 1 MiB)");
    expect(checkDocumentValue({ s: "x".repeat(1_572_864) })).toBe("Value is too large (1.50 MiB > maximum size 1 MiB)");
  });

  it("refuses documents nested deeper than 16 levels", () => {
    expect(checkDocumentValue(nestedObjects(16))).toBeNull();
    expect(checkDocumentValue(nestedObjects(17))).toBe(
      `Document(value: {inner: ${"{inner: ".repeat(15)}{leaf: 1.0}${"}".repeat(15)}}) isn't a valid document: Document is too nested (nested 17 levels deep > maximum nesting 16)`,
    );
    // Arrays count too: the document is level 1, each array one more.
    let array: Value = [];
    for (let i = 0; i < 15; i++) array = [array];
    expect(checkDocumentValue({ a: array })).toContain("nested 17 levels deep");
  });

  it("refuses top-level fields starting with an underscore, except in system tables", () => {
    expect(checkDocumentValue({ _secret: 1, ok: 2 })).toBe(
      "Document(value: {_secret: 1.0, ok: 2.0}) isn't a valid document: Field '_secret' starts with an underscore, which is only allowed for system fields like '_id'",
    );
    expect(checkDocumentValue({ _secret: 1 }, { isSystemTable: true })).toBeNull();
    // Nested fields may start with "_".
    expect(checkDocumentValue({ nested: { _ok: 1 } })).toBeNull();
  });

  it("refuses arrays longer than 8192 elements", () => {
    expect(checkDocumentValue({ a: new Array(8192).fill(0) })).toBeNull();
    expect(checkDocumentValue({ a: new Array(8193).fill(0) })).toBe("Array length is too long (8193 > maximum length 8192)");
  });

  it("refuses objects with more than 1024 fields", () => {
    const fields = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`f${i}`, i]));
    expect(checkDocumentValue({ o: fields(1024) })).toBeNull();
    expect(checkDocumentValue({ o: fields(1025) })).toBe("Object has too many fields (1025 > maximum number 1024)");
  });

  it("checks field names at every depth", () => {
    expect(checkDocumentValue({ o: { $bad: 1 } })).toBe("Field name $bad starts with '$', which is reserved.");
    expect(checkDocumentValue({ "caf\u00e9": 1 })).toBe(
      "Field name caf\u00e9 has invalid character '\u00e9': Field names can only contain non-control ASCII characters",
    );
    expect(checkDocumentValue({ "a\nb": 1 })).toBe(
      "Field name a\nb has invalid character '\\n': Field names can only contain non-control ASCII characters",
    );
    expect(fieldNameError("x".repeat(1024))).toBeNull();
    expect(fieldNameError("x".repeat(1025))).toBe("Field name is too long (1025 > maximum 1024)");
    expect(fieldNameError("with space and $")).toBeNull();
  });

  it("refuses strings with unpaired surrogates", () => {
    expect(checkDocumentValue({ s: "ok \ud83d\ude00" })).toBeNull();
    expect(checkDocumentValue({ s: "bad \ud83d" })).toMatch(/unpaired surrogate/);
  });
});

describe("checkValue", () => {
  it("allows nesting up to 64 for values that are not documents", () => {
    let value: Value = 1;
    for (let i = 0; i < 64; i++) value = [value];
    expect(checkValue(value)).toBeNull();
    expect(checkValue([value])).toBe("Value is too nested (nested 65 levels deep > maximum nesting 64)");
  });
});

describe("messages", () => {
  it("formats sizes as Convex does", () => {
    expect(formatSizeBinary(1_048_576)).toBe("1 MiB");
    expect(formatSizeBinary(16 * 1_048_576)).toBe("16 MiB");
    expect(formatSizeBinary(1_000_000)).toBe("976.56 KiB");
    expect(formatSizeBinary(512)).toBe("512 B");
    expect(formatBytes(16 * 1_048_576)).toBe("16 MiB");
    expect(formatBytes(4_718_592)).toBe("4.5 MiB");
    expect(formatBytes(1534)).toBe("1534 bytes");
    expect(formatBytes(1000)).toBe("1 KB");
  });

  it("has the transaction limit messages", () => {
    expect(LIMIT_MESSAGES.tooManyDocumentsRead()).toBe(
      "Too many documents read in a single function execution (limit: 32000). Consider using smaller limits in your queries, paginating your queries, or using indexed queries with a selective index range expressions.",
    );
    expect(LIMIT_MESSAGES.tooManyBytesRead()).toMatch(/^Too many bytes read in a single function execution \(limit: 16777216 bytes\)\. Consider/);
    expect(LIMIT_MESSAGES.tooManyReads()).toMatch(/^Too many reads in a single function execution \(limit: 4096\)\. Consider/);
    expect(LIMIT_MESSAGES.tooManyWrites()).toBe("Too many writes in a single function execution (limit: 16000)");
    expect(LIMIT_MESSAGES.tooManyBytesWritten()).toBe("Too many bytes written in a single function execution (limit: 16 MiB)");
    expect(LIMIT_MESSAGES.argumentsTooLarge("messages:send", 17 * 1_048_576)).toBe(
      "Arguments for messages:send are too large (actual: 17 MiB, limit: 16 MiB)",
    );
  });
});
