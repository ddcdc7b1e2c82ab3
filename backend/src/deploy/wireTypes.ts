// The JSON the Convex CLI (convex 1.48.0) exchanges with a deployment when it
// pushes. Ground truth: node_modules/convex/src/cli/lib/deployApi/*.ts (zod
// schemas) and deploy2.ts / config.ts for the request bodies. Only what we
// read or write is spelled out; the CLI accepts extra fields everywhere.

import type { JSONValue } from "../engine/contract.js";
import type {
  AnalyzedModule,
  DefinitionMetadata,
  ModuleEnvironment,
  ModuleSource,
  SchemaJson,
} from "./deployment.js";

/** `moduleHashConfig`: an app module the deployment already has, sent by hash only. */
export interface ModuleHashConfig {
  path: string;
  environment: ModuleEnvironment;
  sha256: string;
}

/** `appDefinitionConfig`. */
export interface AppDefinitionConfig {
  /** The bundled convex.config.js, or null for an app without one. */
  definition: ModuleSource | null;
  /** Definition paths of the components the app's definition imports. */
  dependencies: string[];
  schema: ModuleSource | null;
  changedModules: ModuleSource[];
  unchangedModuleHashes: ModuleHashConfig[];
  udfServerVersion: string;
}

/** `componentDefinitionConfig`. */
export interface ComponentDefinitionConfig {
  definitionPath: string;
  definition: ModuleSource;
  dependencies: string[];
  schema: ModuleSource | null;
  functions: ModuleSource[];
  udfServerVersion: string;
}

/** Body of evaluate_schema, evaluate_push and start_push (`startPushRequest`). */
export interface StartPushRequest {
  adminKey: string;
  dryRun: boolean;
  /** convex.json's `functions`, e.g. "convex/". */
  functions: string;
  appDefinition: AppDefinitionConfig;
  componentDefinitions: ComponentDefinitionConfig[];
  nodeDependencies: { name: string; version: string }[];
  nodeVersion?: string;
}

/** `developerIndexConfig`. */
export type DeveloperIndexConfig =
  | { name: string; type: "database"; fields: string[]; staged?: boolean }
  | { name: string; type: "search"; searchField: string; filterFields: string[]; staged?: boolean }
  | { name: string; type: "vector"; dimensions: number; vectorField: string; filterFields: string[]; staged?: boolean };

/** `indexDiff` (snake_case, as the Rust backend serializes it). */
export interface IndexDiff {
  added_indexes: DeveloperIndexConfig[];
  removed_indexes: DeveloperIndexConfig[];
}

/**
 * `schemaChange`: opaque to the CLI, which hands it back in wait_for_schema
 * and finish_push. We carry the id of the pending push in `schemaIds`.
 */
export interface SchemaChange {
  allocatedComponentIds: JSONValue;
  schemaIds: { pushId: string } | null;
  indexDiffs: Record<string, IndexDiff>;
}

/** `evaluatedComponentDefinition`, keyed by definition path in `analysis`. */
export interface EvaluatedComponentDefinition {
  definition: DefinitionMetadata & { path: string };
  schema: SchemaJson | null;
  functions: Record<string, AnalyzedModule>;
  udfConfig: { serverVersion: string; importPhaseRngSeed: JSONValue; importPhaseUnixTimestamp: JSONValue };
}

/** `resource` of a checked component's export. */
export type Resource = { type: "value"; value: string } | { type: "function"; path: { component: string; udfPath: string } };

/** `checkedExport`. */
export type CheckedExport =
  | { type: "branch"; children: Record<string, CheckedExport> }
  | { type: "leaf"; resource: Resource };

/** `checkedComponent`: the instantiated component tree. */
export interface CheckedComponent {
  definitionPath: string;
  componentPath: string;
  args: Record<string, Resource>;
  childComponents: Record<string, CheckedComponent>;
  httpRoutes: { httpModuleRoutes: { method: string; path: string }[] | null; mounts: string[] };
  exports: Record<string, CheckedExport>;
}

/** `authInfo` as the CLI parses it (customJwt or OIDC). */
export type AuthInfo = Record<string, JSONValue>;

/** start_push's response (`startPushResponse`); finish_push receives it back whole. */
export interface StartPushResponse {
  environmentVariables: Record<string, string>;
  externalDepsId: string | null;
  componentDefinitionPackages: Record<string, JSONValue>;
  appAuth: AuthInfo[];
  analysis: Record<string, EvaluatedComponentDefinition>;
  app: CheckedComponent;
  schemaChange: SchemaChange;
}

/** `schemaStatus`, wait_for_schema's response. */
export type SchemaStatus =
  | { type: "inProgress"; components: Record<string, { schemaValidationComplete: boolean; indexesComplete: number; indexesTotal: number }> }
  | { type: "failed"; error: string; componentPath: string; tableName: string | null }
  | { type: "raceDetected" }
  | { type: "complete" };

/** `componentDiff` of finish_push's response. */
export interface ComponentDiff {
  diffType: { type: "create" | "modify" | "unmount" | "remount" };
  moduleDiff: { added: string[]; removed: string[] };
  udfConfigDiff: { previous_version: string; next_version: string } | null;
  cronDiff: { added: string[]; updated: string[]; deleted: string[] };
  indexDiff: IndexDiff;
  schemaDiff: { previous_schema: string | null; next_schema: string | null } | null;
}

/** finish_push's response (`finishPushDiff`). */
export interface FinishPushDiff {
  authDiff: { added: string[]; removed: string[] };
  definitionDiffs: Record<string, Record<string, never>>;
  componentDiffs: Record<string, ComponentDiff>;
}

/** evaluate_schema's per-component prediction (`componentSchemaPrediction`). */
export interface ComponentSchemaPrediction {
  definitionPath: string;
  schemaValidation: boolean;
  tables: { name: string; outcome: "notValidated" | "mustWalk"; numDocs: number; sizeBytes: number }[];
  indexes: (DeveloperIndexConfig & {
    change: "added" | "identical" | "dropped";
    needsBackfill: boolean;
    numDocs: number;
  })[];
}

/** evaluate_schema's response. */
export interface EvaluateSchemaResponse {
  componentSchemaEvaluations: Record<string, ComponentSchemaPrediction>;
  newComponentDefinitions: string[];
}
