/**
 * Validation of Convex values against validator JSON: the JSON that a
 * function's `exportArgs()` / `exportReturns()` produce and the
 * `documentType` of each table in a schema's `export()`.
 *
 * Semantics and message texts follow Convex's backend, which is what a
 * deployment on Convex Cloud reports:
 * - crates/common/src/schemas/validator.rs (`check_value`, `ValidationError`,
 *   `Display for Validator`),
 * - crates/model/src/modules/function_validators.rs (args / returns checks),
 * - crates/udf/src/validation.rs ("ArgumentValidationError: " prefix),
 * - crates/common/src/schemas/mod.rs ("Failed to insert or update a document…").
 */
import { CommitTsPlaceholder, compareValues, jsonToConvex, type Value, type ValidatorJSON } from "convex/values";
import { decodeDocumentId } from "./ids.js";
import { formatRustString, formatValue, sortedFieldNames } from "./display.js";

export type { ValidatorJSON };

export type ValidationContext = {
  /** What is being validated; decides how the message is introduced. */
  kind: "args" | "returns" | "document";
  /** The table a document is written to (required for kind "document"). */
  tableName?: string;
  /** The table an id string belongs to, or null if it is not an id of an existing table. */
  tableNameOfId: (id: string) => string | null;
};

type ObjectFields = Extract<ValidatorJSON, { type: "object" }>["value"];

/** Displays a validator the way Convex's errors do, e.g. `v.object({a: v.string()})`. */
export function validatorToString(validator: ValidatorJSON): string {
  switch (validator.type) {
    case "id":
      return `v.id(${JSON.stringify(validator.tableName)})`;
    case "null":
      return "v.null()";
    case "number":
      return "v.float64()";
    case "bigint":
      return "v.int64()";
    case "commitTs":
      return "v.commitTs()";
    case "boolean":
      return "v.boolean()";
    case "string":
      return "v.string()";
    case "bytes":
      return "v.bytes()";
    case "any":
      return "v.any()";
    case "literal":
      return `v.literal(${formatLiteral(literalValue(validator.value))})`;
    case "array":
      return `v.array(${validatorToString(validator.value)})`;
    case "record":
      return `v.record(${validatorToString(validator.keys)}, ${validatorToString(validator.values.fieldType)})`;
    case "object":
      return objectValidatorToString(validator.value);
    case "union":
      return `v.union(${validator.value.map(validatorToString).join(", ")})`;
  }
}

function objectValidatorToString(fields: ObjectFields): string {
  const parts = sortedFieldNames(fields).map((name) => {
    const field = fields[name]!;
    const inner = validatorToString(field.fieldType);
    return `${name}: ${field.optional ? `v.optional(${inner})` : inner}`;
  });
  return `v.object({${parts.join(", ")}})`;
}

/** The value a literal validator's JSON stands for (`{$integer}` → bigint etc.). */
function literalValue(json: unknown): Value {
  return jsonToConvex(json as Parameters<typeof jsonToConvex>[0]);
}

/**
 * Convex prints literals as JSON (serde_json): floats in ryu's style
 * (`1.0`, `1e16`), int64 as `<bigint>`, non-finite floats as `<number>`.
 */
function formatLiteral(value: Value): string {
  if (typeof value === "bigint") return "<bigint>";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return "<number>";
    if (value === 0) return Object.is(value, -0) ? "-0.0" : "0.0";
    const abs = Math.abs(value);
    if (abs >= 1e-5 && abs < 1e16) {
      const text = String(value);
      return text.includes(".") ? text : `${text}.0`;
    }
    return value.toExponential().replace("e+", "e");
  }
  if (typeof value === "string") return JSON.stringify(value);
  return String(value);
}

/** A validation failure: the message body, and the path from the root (outermost first). */
class Failure {
  readonly path: string[] = [];
  constructor(private readonly render: (context: string) => string) {}
  within(segment: string): Failure {
    this.path.unshift(segment);
    return this;
  }
  message(): string {
    return this.render(this.path.length > 0 ? `Path: ${this.path.join("")}` : "");
  }
}

function noMatch(value: Value, validator: ValidatorJSON): Failure {
  return new Failure(
    (context) => `Value does not match validator.\n${context}\nValue: ${formatValue(value)}\nValidator: ${validatorToString(validator)}`,
  );
}

const isPlainObject = (value: Value): value is { [key: string]: Value | undefined } =>
  typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof ArrayBuffer) && !(value instanceof CommitTsPlaceholder);

/** Convex objects never hold `undefined` fields: they are dropped on the wire. */
function definedFields(object: { [key: string]: Value | undefined }): { [key: string]: Value } {
  const out: { [key: string]: Value } = {};
  for (const key of Object.keys(object)) if (object[key] !== undefined) out[key] = object[key];
  return out;
}

function check(validator: ValidatorJSON, value: Value, tableNameOfId: (id: string) => string | null): Failure | null {
  switch (validator.type) {
    case "any":
      return null;
    case "null":
      return value === null ? null : noMatch(value, validator);
    case "number":
      return typeof value === "number" ? null : noMatch(value, validator);
    case "bigint":
    case "commitTs":
      // An unresolved commit timestamp is validated as the int64 it will become.
      return typeof value === "bigint" || value instanceof CommitTsPlaceholder ? null : noMatch(value, validator);
    case "boolean":
      return typeof value === "boolean" ? null : noMatch(value, validator);
    case "string":
      return typeof value === "string" ? null : noMatch(value, validator);
    case "bytes":
      return value instanceof ArrayBuffer ? null : noMatch(value, validator);
    case "id": {
      if (typeof value !== "string") return noMatch(value, validator);
      const tableName = decodeDocumentId(value) === null ? null : tableNameOfId(value);
      if (tableName === null) return noMatch(value, validator);
      if (tableName === validator.tableName) return null;
      const expected = `\`v.id(${JSON.stringify(validator.tableName)})\``;
      if (tableName.startsWith("_")) {
        return new Failure(
          (context) => `Found ID "${value}" from a system table, which does not match the table name in validator ${expected}.${context}`,
        );
      }
      return new Failure(
        (context) => `Found ID "${value}" from table \`${tableName}\`, which does not match the table name in validator ${expected}.${context}`,
      );
    }
    case "literal": {
      const literal = literalValue(validator.value);
      // Convex compares with its total order: -0 is not 0, NaN equals NaN.
      if (compareValues(value, literal) === 0) return null;
      return new Failure(
        (context) => `\`${formatValue(value)}\` does not match literal validator \`v.literal(${formatLiteral(literal)})\`.${context}`,
      );
    }
    case "array": {
      if (!Array.isArray(value)) return noMatch(value, validator);
      for (let i = 0; i < value.length; i++) {
        const failure = check(validator.value, value[i]!, tableNameOfId);
        if (failure) return failure.within(`[${i}]`);
      }
      return null;
    }
    case "record": {
      if (!isPlainObject(value)) return noMatch(value, validator);
      const object = definedFields(value);
      for (const key of sortedFieldNames(object)) {
        const keyFailure = check(validator.keys, key, tableNameOfId);
        if (keyFailure) return keyFailure.within(".keys()");
        const valueFailure = check(validator.values.fieldType, object[key]!, tableNameOfId);
        if (valueFailure) return valueFailure.within(".values()");
      }
      return null;
    }
    case "object": {
      if (!isPlainObject(value)) return noMatch(value, validator);
      const object = definedFields(value);
      const fields = validator.value;
      for (const name of sortedFieldNames(fields)) {
        const field = fields[name]!;
        if (Object.hasOwn(object, name)) {
          const failure = check(field.fieldType, object[name]!, tableNameOfId);
          if (failure) return failure.within(`.${name}`);
        } else if (!field.optional) {
          return new Failure(
            (context) =>
              `Object is missing the required field \`${name}\`. Consider wrapping the field validator in \`v.optional(...)\` if this is expected.\n${context}\nObject: ${formatValue(object)}\nValidator: ${objectValidatorToString(fields)}`,
          );
        }
      }
      for (const name of sortedFieldNames(object)) {
        if (!Object.hasOwn(fields, name)) {
          return new Failure(
            (context) =>
              `Object contains extra field \`${name}\` that is not in the validator.\n${context}\nObject: ${formatValue(object)}\nValidator: ${objectValidatorToString(fields)}`,
          );
        }
      }
      return null;
    }
    case "union": {
      // A one-member union reports its member's own error; otherwise Convex
      // drops the members' errors and reports that nothing matched.
      if (validator.value.length === 1) return check(validator.value[0]!, value, tableNameOfId);
      for (const member of validator.value) {
        if (check(member, value, tableNameOfId) === null) return null;
      }
      return noMatch(value, validator);
    }
  }
}

/**
 * The bare validation error Convex would report for `value` (no
 * "ArgumentValidationError: " or table prefix), or null if it conforms.
 */
export function validationError(
  validator: ValidatorJSON,
  value: Value,
  tableNameOfId: (id: string) => string | null,
): string | null {
  return check(validator, value, tableNameOfId)?.message() ?? null;
}

/** True for the validator JSON of a function declared without `args` (`{"type":"any"}`). */
export function argsValidatorAcceptsAnything(json: ValidatorJSON | string | null | undefined): boolean {
  const parsed: ValidatorJSON | null | undefined = typeof json === "string" ? (JSON.parse(json) as ValidatorJSON | null) : json;
  return parsed === null || parsed === undefined || parsed.type === "any";
}

/** Drops top-level fields that start with "_" (`_id`, `_creationTime`), as schema enforcement does. */
function withoutSystemFields(value: Value): Value {
  if (!isPlainObject(value)) return value;
  const out: { [key: string]: Value } = {};
  for (const [key, field] of Object.entries(value)) if (!key.startsWith("_") && field !== undefined) out[key] = field;
  return out;
}

function withoutSystemFieldValidators(validator: ValidatorJSON): ValidatorJSON {
  if (validator.type === "object") {
    const value: ObjectFields = {};
    for (const [key, field] of Object.entries(validator.value)) if (!key.startsWith("_")) value[key] = field;
    return { type: "object", value };
  }
  if (validator.type === "union") return { type: "union", value: validator.value.map(withoutSystemFieldValidators) };
  return validator;
}

/**
 * Validates `value` against `validator` and returns null when it conforms,
 * else Convex's message for the context:
 * - args: "ArgumentValidationError: …" (the value is the single argument
 *   object; `{type:"any"}`, what a function without `args` exports, accepts anything),
 * - returns: "ReturnsValidationError: …" (a function returning `undefined` returns null),
 * - document: the bare validation error, e.g. "Object is missing the required
 *   field `x`. …"; system fields (`_id`, `_creationTime`, any top-level "_"
 *   field) are ignored on both sides. Convex introduces it with
 *   {@link documentSchemaErrorPrefix}; the database layer adds that itself.
 */
export function validateValue(validator: ValidatorJSON, value: Value | undefined, context: ValidationContext): string | null {
  switch (context.kind) {
    case "args": {
      if (validator.type === "any") return null;
      const args = value === undefined ? {} : value;
      if (validator.type === "object" && !isPlainObject(args)) {
        return `ArgumentValidationError: Expected to receive an object as the function's argument. Instead received: ${formatValue(args)}`;
      }
      const error = validationError(validator, args, context.tableNameOfId);
      return error === null ? null : `ArgumentValidationError: ${error}`;
    }
    case "returns": {
      const error = validationError(validator, value === undefined ? null : value, context.tableNameOfId);
      return error === null ? null : `ReturnsValidationError: ${error}`;
    }
    case "document": {
      if (validator.type === "any") return null;
      return validationError(withoutSystemFieldValidators(validator), withoutSystemFields(value ?? {}), context.tableNameOfId);
    }
  }
}

/** How Convex introduces a schema violation on insert, patch or replace (SchemaEnforcementError). */
export function documentSchemaErrorPrefix(tableName: string): string {
  return `Failed to insert or update a document in table ${formatRustString(tableName)} because it does not match the schema: `;
}
