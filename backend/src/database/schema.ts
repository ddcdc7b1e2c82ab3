// The pushed schemas, per component, in the JSON that `defineSchema(...).export()`
// produces (node_modules/convex/src/server/schema.ts).
import type { JSONValue } from "../engine/contract.js";

export interface IndexSchema {
  indexDescriptor: string;
  fields: string[];
}

export interface SearchIndexSchema {
  indexDescriptor: string;
  searchField: string;
  filterFields: string[];
}

export interface VectorIndexSchema {
  indexDescriptor: string;
  vectorField: string;
  dimensions: number;
  filterFields: string[];
}

export interface TableSchema {
  tableName: string;
  indexes: IndexSchema[];
  searchIndexes?: SearchIndexSchema[];
  vectorIndexes?: VectorIndexSchema[];
  documentType: JSONValue;
}

export interface DatabaseSchema {
  tables: TableSchema[];
  schemaValidation: boolean;
}

export class SchemaRegistry {
  private readonly schemas = new Map<string, { schema: DatabaseSchema; tables: Map<string, TableSchema> }>();

  set(component: string, schema: DatabaseSchema | null): void {
    if (!schema) {
      this.schemas.delete(component);
      return;
    }
    this.schemas.set(component, { schema, tables: new Map(schema.tables.map((t) => [t.tableName, t])) });
  }

  clear(): void {
    this.schemas.clear();
  }

  /** The table's schema when the component's schema validates documents; otherwise undefined. */
  validatedTable(component: string, tableName: string): TableSchema | undefined {
    const entry = this.schemas.get(component);
    if (!entry || !entry.schema.schemaValidation) return undefined;
    return entry.tables.get(tableName);
  }

  table(component: string, tableName: string): TableSchema | undefined {
    return this.schemas.get(component)?.tables.get(tableName);
  }

  schema(component: string): DatabaseSchema | undefined {
    return this.schemas.get(component)?.schema;
  }
}
