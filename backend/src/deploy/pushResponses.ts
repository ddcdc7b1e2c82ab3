// Turns a built `Deployment` (and the one it replaces) into the responses the
// CLI parses: start_push's analysis and component tree, index diffs,
// evaluate_schema's predictions and finish_push's diff.

import { randomBytes } from "node:crypto";

import type { JSONValue } from "../engine/contract.js";
import type { ComponentDeployment, ComponentExports, Deployment, SchemaJson } from "./deployment.js";
import type {
  AuthInfo,
  CheckedComponent,
  CheckedExport,
  ComponentDiff,
  ComponentSchemaPrediction,
  DeveloperIndexConfig,
  EvaluatedComponentDefinition,
  EvaluateSchemaResponse,
  FinishPushDiff,
  IndexDiff,
  StartPushResponse,
} from "./wireTypes.js";

/** Counts a table's documents, for the CLI's "large index" and "slow validation" warnings. */
export type CountDocuments = (componentPath: string, tableName: string) => number;

export function startPushResponse(
  next: Deployment,
  previous: Deployment | null,
  pushId: string,
  environmentVariables: Record<string, string>,
): StartPushResponse {
  return {
    environmentVariables,
    externalDepsId: null,
    componentDefinitionPackages: {},
    appAuth: next.authConfig.providers.map(authInfo),
    analysis: analysisByDefinition(next),
    app: checkedComponent(next, ""),
    schemaChange: {
      allocatedComponentIds: null,
      schemaIds: { pushId },
      indexDiffs: indexDiffs(next, previous),
    },
  };
}

/** `analysis`: one entry per component definition (the app's key is ""). */
function analysisByDefinition(deployment: Deployment): Record<string, EvaluatedComponentDefinition> {
  const analysis: Record<string, EvaluatedComponentDefinition> = {};
  for (const component of deployment.components) {
    if (component.definitionPath in analysis) continue;
    analysis[component.definitionPath] = {
      definition: { ...component.definitionMetadata, path: component.definitionPath, exports: component.exports },
      schema: component.schema,
      functions: component.analysis,
      udfConfig: {
        serverVersion: deployment.udfServerVersion,
        // Convex seeds Math.random and freezes Date.now while modules import; we record a seed for parity.
        importPhaseRngSeed: { $bytes: randomBytes(32).toString("base64") },
        importPhaseUnixTimestamp: { $integer: int64Base64(BigInt(deployment.createdAtMs)) },
      },
    };
  }
  return analysis;
}

function checkedComponent(deployment: Deployment, componentPath: string): CheckedComponent {
  const component = componentAt(deployment, componentPath);
  const childComponents: Record<string, CheckedComponent> = {};
  for (const child of component.childComponents) childComponents[child.name] = checkedComponent(deployment, child.path);
  const args: CheckedComponent["args"] = {};
  for (const [name, binding] of component.args ?? []) {
    if (binding.type === "value") args[name] = { type: "value", value: binding.value };
  }
  return {
    definitionPath: component.definitionPath,
    componentPath,
    args,
    childComponents,
    httpRoutes: { httpModuleRoutes: component.httpRoutes, mounts: Object.keys(component.httpMounts) },
    exports: checkedExports(component.exports, componentPath),
  };
}

function checkedExports(tree: { type: "branch"; branch: [string, ComponentExports][] }, componentPath: string): Record<string, CheckedExport> {
  const convert = (node: ComponentExports): CheckedExport => {
    if (node.type === "branch") {
      return { type: "branch", children: Object.fromEntries(node.branch.map(([key, child]) => [key, convert(child)])) };
    }
    const udfPath = node.leaf.replace(/^_reference\/function\//, "");
    return { type: "leaf", resource: { type: "function", path: { component: componentPath, udfPath } } };
  };
  return Object.fromEntries(tree.branch.map(([key, child]) => [key, convert(child)]));
}

/** The CLI's `authInfo`: customJwt providers need every field present; OIDC ones pass as they are. */
function authInfo(provider: JSONValue): AuthInfo {
  const fields = (provider ?? {}) as Record<string, JSONValue>;
  if (fields.type === "customJwt") {
    return {
      ...fields,
      applicationID: fields.applicationID ?? null,
      algorithm: fields.algorithm ?? "RS256",
    };
  }
  return fields;
}

/** Indexes of a schema in the CLI's `developerIndexConfig` form, keyed by "table.index". */
export function schemaIndexes(schema: SchemaJson | null): Map<string, DeveloperIndexConfig> {
  const indexes = new Map<string, DeveloperIndexConfig>();
  for (const table of schema?.tables ?? []) {
    for (const index of table.indexes) {
      const name = `${table.tableName}.${index.indexDescriptor}`;
      indexes.set(name, { name, type: "database", fields: index.fields });
    }
    for (const raw of table.searchIndexes ?? []) {
      const index = raw as { indexDescriptor: string; searchField: string; filterFields: string[] };
      const name = `${table.tableName}.${index.indexDescriptor}`;
      indexes.set(name, { name, type: "search", searchField: index.searchField, filterFields: index.filterFields });
    }
    for (const raw of table.vectorIndexes ?? []) {
      const index = raw as { indexDescriptor: string; vectorField: string; dimensions: number; filterFields: string[] };
      const name = `${table.tableName}.${index.indexDescriptor}`;
      indexes.set(name, {
        name,
        type: "vector",
        dimensions: index.dimensions,
        vectorField: index.vectorField,
        filterFields: index.filterFields,
      });
    }
  }
  return indexes;
}

function indexDiff(next: SchemaJson | null, previous: SchemaJson | null): IndexDiff {
  const after = schemaIndexes(next);
  const before = schemaIndexes(previous);
  const same = (a: DeveloperIndexConfig, b: DeveloperIndexConfig | undefined) => b !== undefined && JSON.stringify(a) === JSON.stringify(b);
  return {
    added_indexes: [...after.values()].filter((index) => !same(index, before.get(index.name))),
    removed_indexes: [...before.values()].filter((index) => !same(index, after.get(index.name))),
  };
}

/** Index changes per component path, removed components included. */
export function indexDiffs(next: Deployment, previous: Deployment | null): Record<string, IndexDiff> {
  const diffs: Record<string, IndexDiff> = {};
  for (const component of next.components) {
    diffs[component.path] = indexDiff(component.schema, previousComponent(previous, component.path)?.schema ?? null);
  }
  for (const component of previous?.components ?? []) {
    if (!(component.path in diffs)) diffs[component.path] = indexDiff(null, component.schema);
  }
  return diffs;
}

export function evaluateSchemaResponse(next: Deployment, previous: Deployment | null, countDocuments: CountDocuments): EvaluateSchemaResponse {
  const componentSchemaEvaluations: Record<string, ComponentSchemaPrediction> = {};
  for (const component of next.components) {
    const before = previousComponent(previous, component.path);
    const schema = component.schema;
    const previousTables = new Map((before?.schema?.tables ?? []).map((table) => [table.tableName, table]));
    const count = (table: string) => (before === undefined ? 0 : countDocuments(component.path, table));
    const afterIndexes = schemaIndexes(schema);
    const beforeIndexes = schemaIndexes(before?.schema ?? null);
    const indexes: ComponentSchemaPrediction["indexes"] = [];
    for (const index of afterIndexes.values()) {
      const identical = JSON.stringify(beforeIndexes.get(index.name)) === JSON.stringify(index);
      indexes.push({ ...index, change: identical ? "identical" : "added", needsBackfill: !identical, numDocs: count(tableOf(index.name)) });
    }
    for (const index of beforeIndexes.values()) {
      if (!afterIndexes.has(index.name)) indexes.push({ ...index, change: "dropped", needsBackfill: false, numDocs: count(tableOf(index.name)) });
    }
    componentSchemaEvaluations[component.path] = {
      definitionPath: component.definitionPath,
      schemaValidation: schema?.schemaValidation ?? false,
      tables: (schema?.tables ?? []).map((table) => {
        const unchanged = JSON.stringify(previousTables.get(table.tableName)?.documentType) === JSON.stringify(table.documentType);
        return {
          name: table.tableName,
          outcome: !schema!.schemaValidation || unchanged ? "notValidated" : "mustWalk",
          numDocs: count(table.tableName),
          sizeBytes: 0,
        };
      }),
      indexes,
    };
  }
  const knownDefinitions = new Set((previous?.components ?? []).map((component) => component.definitionPath));
  return {
    componentSchemaEvaluations,
    newComponentDefinitions: [...new Set(next.components.map((component) => component.definitionPath))].filter(
      (definitionPath) => definitionPath !== "" && !knownDefinitions.has(definitionPath),
    ),
  };
}

/** finish_push's diff between the deployment replaced and the one pushed. */
export function finishPushDiff(next: Deployment, previous: Deployment | null): FinishPushDiff {
  const componentDiffs: Record<string, ComponentDiff> = {};
  const diffs = indexDiffs(next, previous);
  for (const component of next.components) {
    const before = previousComponent(previous, component.path);
    componentDiffs[component.path] = componentDiff(before === undefined ? "create" : "modify", component, before, diffs[component.path]!, next, previous);
  }
  for (const component of previous?.components ?? []) {
    if (!next.components.some((c) => c.path === component.path)) {
      componentDiffs[component.path] = componentDiff("unmount", undefined, component, diffs[component.path]!, next, previous);
    }
  }
  const providerNames = (deployment: Deployment | null) => (deployment?.authConfig.providers ?? []).map(describeProvider);
  const added = providerNames(next).filter((name) => !providerNames(previous).includes(name));
  const removed = providerNames(previous).filter((name) => !providerNames(next).includes(name));
  return { authDiff: { added, removed }, definitionDiffs: {}, componentDiffs };
}

function componentDiff(
  type: ComponentDiff["diffType"]["type"],
  after: ComponentDeployment | undefined,
  before: ComponentDeployment | undefined,
  indexDiff: IndexDiff,
  next: Deployment,
  previous: Deployment | null,
): ComponentDiff {
  const entryModules = (component: ComponentDeployment | undefined) => Object.keys(component?.analysis ?? {});
  const cronsOf = (component: ComponentDeployment | undefined) => new Map((component?.crons ?? []).map((job) => [job.identifier, JSON.stringify(job)]));
  const cronsAfter = cronsOf(after);
  const cronsBefore = cronsOf(before);
  const schemaText = (component: ComponentDeployment | undefined) => (component?.schema ? JSON.stringify(component.schema) : null);
  const schemaChanged = schemaText(after) !== schemaText(before);
  const versionChanged = previous !== null && previous.udfServerVersion !== next.udfServerVersion;
  return {
    diffType: { type },
    moduleDiff: {
      added: entryModules(after).filter((module) => !entryModules(before).includes(module)),
      removed: entryModules(before).filter((module) => !entryModules(after).includes(module)),
    },
    udfConfigDiff: versionChanged ? { previous_version: previous.udfServerVersion, next_version: next.udfServerVersion } : null,
    cronDiff: {
      added: [...cronsAfter.keys()].filter((id) => !cronsBefore.has(id)),
      updated: [...cronsAfter.keys()].filter((id) => cronsBefore.has(id) && cronsBefore.get(id) !== cronsAfter.get(id)),
      deleted: [...cronsBefore.keys()].filter((id) => !cronsAfter.has(id)),
    },
    indexDiff,
    schemaDiff: schemaChanged ? { previous_schema: schemaText(before), next_schema: schemaText(after) } : null,
  };
}

function describeProvider(provider: JSONValue): string {
  const fields = (provider ?? {}) as Record<string, JSONValue>;
  const issuer = fields.issuer ?? fields.domain ?? JSON.stringify(provider);
  return fields.applicationID ? `${String(issuer)} (${String(fields.applicationID)})` : String(issuer);
}

function componentAt(deployment: Deployment, componentPath: string): ComponentDeployment {
  const component = deployment.components.find((c) => c.path === componentPath);
  if (component === undefined) throw new Error(`No component at "${componentPath}"`);
  return component;
}

function previousComponent(previous: Deployment | null, componentPath: string): ComponentDeployment | undefined {
  return previous?.components.find((component) => component.path === componentPath);
}

function tableOf(indexName: string): string {
  return indexName.slice(0, indexName.indexOf("."));
}

/** Convex's JSON encoding of an int64: base64 of 8 little-endian bytes. */
function int64Base64(value: bigint): string {
  const bytes = Buffer.alloc(8);
  bytes.writeBigInt64LE(value);
  return bytes.toString("base64");
}
