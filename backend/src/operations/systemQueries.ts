// The `_system/cli/…` queries the unmodified Convex CLI subscribes to
// (node_modules/convex/src/cli/lib/{data,convexExport,convexImport,run}.ts):
//   _system/cli/tables             {paginationOpts}                → page of {name}   (`convex data`)
//   _system/cli/tableData          {table, order, paginationOpts}  → page of documents (`convex data <table>`)
//   _system/cli/exports:getLatest  {}                              → latest snapshot export state or null
//   _system/cli/queryImport:list   {}                              → imports
//   _system/cli/queryImport        {importId}                      → one import
//   _system/cli/modules:apiSpec    {}                              → functions (`convex run` of a wrong name)
// The component is the call's componentPath (`--component`).

import type { FunctionCall, JSONValue } from "../engine/contract.js";
import type { LocalEngine } from "../engine/localEngine.js";
import { kindOf, type RegisteredFunction } from "../runtime/loadedDeployment.js";
import { DocumentStore } from "../storage/documentStore.js";
import { openConnection } from "../storage/sqlite.js";
import type { SnapshotOperations } from "./snapshotOperations.js";

interface PaginationOpts {
  cursor: string | null;
  numItems: number;
}

function paginationOpts(args: Record<string, JSONValue>): PaginationOpts {
  const opts = (args.paginationOpts ?? {}) as Record<string, JSONValue>;
  const numItems = typeof opts.numItems === "number" && opts.numItems > 0 ? Math.min(opts.numItems, 10_000) : 100;
  return { cursor: typeof opts.cursor === "string" && opts.cursor !== "" ? opts.cursor : null, numItems };
}

/** "_system/cli/queryImport" and "…:default" alike; ".js" tolerated. */
function canonical(udfPath: string): string {
  const colon = udfPath.lastIndexOf(":");
  let module = colon < 0 ? udfPath : udfPath.slice(0, colon);
  const name = colon < 0 ? "default" : udfPath.slice(colon + 1);
  if (module.endsWith(".js")) module = module.slice(0, -3);
  return `${module}:${name}`;
}

export class SystemQueries {
  private store: DocumentStore | null = null;

  constructor(
    private readonly engine: LocalEngine,
    private readonly databasePath: string,
    private readonly operations: SnapshotOperations,
  ) {}

  handle = (call: FunctionCall): JSONValue | undefined => {
    const args = (call.args ?? {}) as Record<string, JSONValue>;
    const component = call.componentPath ?? "";
    switch (canonical(call.udfPath)) {
      case "_system/cli/tables:default":
        return this.tables(component);
      case "_system/cli/tableData:default":
        return this.tableData(component, args);
      case "_system/cli/exports:getLatest":
        return this.operations.latestExport();
      case "_system/cli/queryImport:list":
        return this.operations.listImports();
      case "_system/cli/queryImport:default":
        return this.operations.getImport(String(args.importId ?? ""));
      case "_system/cli/modules:apiSpec":
        return this.apiSpec(component);
      default:
        return undefined;
    }
  };

  close(): void {
    this.store?.db.close();
    this.store = null;
  }

  private tables(component: string): JSONValue {
    const names = this.engine.catalog
      .tablesOf(component)
      .map((t) => t.name)
      .filter((name) => !name.startsWith("_"))
      .sort();
    return { page: names.map((name) => ({ name })), isDone: true, continueCursor: "" };
  }

  private tableData(component: string, args: Record<string, JSONValue>): JSONValue {
    if (typeof args.table !== "string") throw new Error("_system/cli/tableData needs a `table` argument.");
    const order = args.order === "asc" ? "asc" : "desc";
    const { cursor, numItems } = paginationOpts(args);
    const table = this.engine.catalog.table(component, args.table);
    if (!table) return { page: [], isDone: true, continueCursor: "" };
    const index = table.indexes.get("by_creation_time")!;
    const after = cursor === null ? null : Buffer.from(cursor, "hex");
    const range =
      order === "asc"
        ? { indexId: index.id, low: after === null ? Buffer.alloc(0) : Buffer.concat([after, Buffer.from([0])]), high: null }
        : { indexId: index.id, low: Buffer.alloc(0), high: after };
    // Its own connection and read transaction: a consistent page while mutations commit.
    this.store ??= new DocumentStore(openConnection(this.databasePath));
    const db = this.store.db;
    db.exec("BEGIN");
    try {
      const entries = this.store.scan(range, order, numItems + 1);
      const page = entries.slice(0, numItems);
      const isDone = entries.length <= numItems;
      return {
        page: page.map((e) => JSON.parse(e.json) as JSONValue),
        isDone,
        continueCursor: page.length ? page[page.length - 1]!.key.toString("hex") : (cursor ?? ""),
      };
    } finally {
      db.exec("COMMIT");
    }
  }

  private apiSpec(component: string): JSONValue {
    const loaded = this.engine.loadedDeployment.component(component);
    const out: JSONValue[] = [];
    for (const [modulePath, namespace] of loaded?.modules ?? []) {
      for (const [name, fn] of Object.entries(namespace)) {
        const kind = fn && (typeof fn === "object" || typeof fn === "function") ? kindOf(fn as RegisteredFunction) : null;
        if (!kind) continue;
        const functionType = kind === "httpAction" ? "HttpAction" : kind[0]!.toUpperCase() + kind.slice(1);
        out.push({
          functionType,
          identifier: `${modulePath}.js:${name}`,
          visibility: { kind: (fn as RegisteredFunction).isInternal ? "internal" : "public" },
        });
      }
    }
    return out;
  }
}
