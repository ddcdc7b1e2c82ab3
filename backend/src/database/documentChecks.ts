// What every document must satisfy before it is written: Convex's value
// limits and, when the component's schema validates, the table's document type.
import type { Value } from "convex/values";
import { checkDocumentValue } from "../values/limits.js";
import { documentSchemaErrorPrefix, validateValue } from "../values/validator.js";
import type { TableSchema } from "./schema.js";
import { DatabaseError } from "./errors.js";

export class SchemaValidationError extends DatabaseError {}

export function checkDocument(
  doc: Record<string, Value>,
  options: { tableName: string; schema: TableSchema | undefined; tableNameOfId: (id: string) => string | null },
): void {
  const limitError = checkDocumentValue(doc, { isSystemTable: options.tableName.startsWith("_") });
  if (limitError) throw new DatabaseError(limitError);
  if (!options.schema) return;
  const error = validateValue(options.schema.documentType as never, doc, {
    kind: "document",
    tableName: options.tableName,
    tableNameOfId: options.tableNameOfId,
  });
  if (error) {
    throw new SchemaValidationError(documentSchemaErrorPrefix(options.tableName) + error);
  }
}
