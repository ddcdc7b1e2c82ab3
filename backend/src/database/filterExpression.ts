// Evaluates the filter expressions that `query.filter(q => …)` serializes
// (node_modules/convex/src/server/impl/filter_builder_impl.ts) against a
// document, with Convex's semantics: comparisons use the total order of
// values, a missing field is `undefined`, arithmetic needs numbers of one kind.
import { compareValues, jsonToConvex, type Value } from "convex/values";

export type Expression = { [op: string]: unknown };
type Maybe = Value | undefined;

export function fieldValue(document: Record<string, Value>, path: string): Maybe {
  let current: Maybe = document;
  for (const part of path.split(".")) {
    if (current === null || typeof current !== "object" || Array.isArray(current) || current instanceof ArrayBuffer) {
      return undefined;
    }
    current = (current as Record<string, Value>)[part];
  }
  return current;
}

export function literalValue(json: unknown): Maybe {
  if (json !== null && typeof json === "object" && !Array.isArray(json) && "$undefined" in json) return undefined;
  return jsonToConvex(json as never);
}

function arithmetic(op: string, a: Maybe, b: Maybe): Value {
  if (typeof a === "number" && typeof b === "number") {
    switch (op) {
      case "$add": return a + b;
      case "$sub": return a - b;
      case "$mul": return a * b;
      case "$div": return a / b;
      case "$mod": return a % b;
    }
  }
  if (typeof a === "bigint" && typeof b === "bigint") {
    switch (op) {
      case "$add": return a + b;
      case "$sub": return a - b;
      case "$mul": return a * b;
      case "$div": if (b === 0n) throw new Error("Division by zero"); return a / b;
      case "$mod": if (b === 0n) throw new Error("Division by zero"); return a % b;
    }
  }
  throw new Error(`Cannot apply ${op.slice(1)} to ${describe(a)} and ${describe(b)}: both sides must be numbers (float64) or both int64.`);
}

function describe(value: Maybe): string {
  if (value === undefined) return "undefined";
  if (value === null) return "null";
  if (typeof value === "bigint") return "int64";
  if (typeof value === "number") return "float64";
  if (value instanceof ArrayBuffer) return "bytes";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

function truthy(value: Maybe): boolean {
  if (typeof value !== "boolean") {
    throw new Error(`Filter expressions must evaluate to a boolean, found ${describe(value)}.`);
  }
  return value;
}

export function evaluate(expression: Expression, document: Record<string, Value>): Maybe {
  const [op] = Object.keys(expression);
  const operand = expression[op];
  switch (op) {
    case "$literal":
      return literalValue(operand);
    case "$field":
      return fieldValue(document, operand as string);
    case "$eq":
    case "$neq":
    case "$lt":
    case "$lte":
    case "$gt":
    case "$gte": {
      const [l, r] = operand as [Expression, Expression];
      const c = compareValues(evaluate(l, document), evaluate(r, document));
      switch (op) {
        case "$eq": return c === 0;
        case "$neq": return c !== 0;
        case "$lt": return c < 0;
        case "$lte": return c <= 0;
        case "$gt": return c > 0;
        default: return c >= 0;
      }
    }
    case "$add":
    case "$sub":
    case "$mul":
    case "$div":
    case "$mod": {
      const [l, r] = operand as [Expression, Expression];
      return arithmetic(op, evaluate(l, document), evaluate(r, document));
    }
    case "$neg": {
      const v = evaluate(operand as Expression, document);
      if (typeof v === "number") return -v;
      if (typeof v === "bigint") return -v;
      throw new Error(`Cannot negate ${describe(v)}.`);
    }
    case "$not":
      return !truthy(evaluate(operand as Expression, document));
    case "$and":
      return (operand as Expression[]).every((e) => truthy(evaluate(e, document)));
    case "$or":
      return (operand as Expression[]).some((e) => truthy(evaluate(e, document)));
    default:
      throw new Error(`Unknown filter operator ${op}`);
  }
}

export function matches(expression: Expression, document: Record<string, Value>): boolean {
  return evaluate(expression, document) === true;
}
