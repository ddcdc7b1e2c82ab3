// What one successful `npx convex deploy` / `dev` push leaves behind: the
// shape the runtime consumes to run functions, and the deployment store
// persists so a restart serves the last push without deploying again.
//
// The raw pieces the CLI sent (bundles, source maps, definition metadata,
// schema JSON) are kept as they came, so nothing the CLI knows is lost; the
// derived pieces (component tree, analysis, crons, routes) sit beside them.

import type { JSONValue } from "../engine/contract.js";

/** The runtime a module was bundled for ("use node" files get "node"). Both run in this Node process. */
export type ModuleEnvironment = "isolate" | "node";

/** One esbuild output file exactly as the CLI pushed it (`moduleConfig` in the CLI's deployApi). */
export interface ModuleSource {
  /** Path inside the component's functions folder: "messages.js", "folder/sub.js", "_deps/ABC123.js", "_deps/node/XYZ.js". */
  path: string;
  /** The bundled ES module. */
  source: string;
  /** Its external source map (JSON text), when the CLI sent one. */
  sourceMap?: string;
  environment: ModuleEnvironment;
}

/** A table's index as `defineSchema(...).export()` writes it. */
export interface SchemaIndexJson {
  indexDescriptor: string;
  fields: string[];
  [extra: string]: JSONValue;
}

/** One table of `SchemaJson`. */
export interface SchemaTableJson {
  tableName: string;
  indexes: SchemaIndexJson[];
  /** `{indexDescriptor, searchField, filterFields}` each. */
  searchIndexes?: JSONValue[] | null;
  /** `{indexDescriptor, vectorField, dimensions, filterFields}` each. */
  vectorIndexes?: JSONValue[] | null;
  /** The table's validator JSON (`{type: "object", value: {...}}`, or a union / any). */
  documentType: JSONValue;
  /** Staged indexes and validators, when the schema uses `.staged()`. */
  stagedDbIndexes?: JSONValue[] | null;
  stagedSearchIndexes?: JSONValue[] | null;
  stagedVectorIndexes?: JSONValue[] | null;
  stagedDocumentType?: JSONValue;
  [extra: string]: unknown;
}

/** `JSON.parse(schema.export())` of a component's `schema.js` default export. */
export interface SchemaJson {
  tables: SchemaTableJson[];
  /** false when the schema was defined with `{schemaValidation: false}`. */
  schemaValidation: boolean;
  [extra: string]: unknown;
}

/** How a parent binds one of a child's env vars (`app.use(child, {env: {...}})`). */
export type ComponentEnvBinding = { type: "value"; value: string } | { type: "envVar"; name: string };

/** A component's exported API as a tree whose leaves are references like "_reference/function/public:heartbeat". */
export type ComponentExports =
  | { type: "leaf"; leaf: string }
  | { type: "branch"; branch: [string, ComponentExports][] };

/** The object `convex.config.js`'s default export returns from `.export()` (Convex's `ComponentDefinitionAnalysis`). */
export interface DefinitionMetadata {
  /** The `defineComponent` name; absent for the app. */
  name?: string;
  definitionType: { type: "app"; httpPrefix?: string } | { type: "childComponent"; name: string; args?: JSONValue[] };
  /** `use()` calls in order: child instance name, child definition path, env bindings. */
  childComponents: { name: string; path: string; args?: JSONValue[]; env: [string, ComponentEnvBinding][] | null }[];
  /** Mount prefix ("/presence/") → "_reference/childComponent/<name>". */
  httpMounts: Record<string, string>;
  exports: { type: "branch"; branch: [string, ComponentExports][] };
  /** Env vars the component declares: name → serialized validator. */
  envVars?: [string, { type: "value"; value: string; optional?: boolean }][];
  /** The app's `defineApp({httpPrefix})`, normalized to end with "/". */
  httpPrefix?: string;
}

/** One registered function of a module, as the CLI's `analyzedFunction` describes it. */
export interface AnalyzedFunction {
  /** The export name ("list", or "default"). */
  name: string;
  /** Source position; we report null (the CLI only displays it). */
  pos: JSONValue;
  udfType: "Query" | "Mutation" | "Action";
  visibility: { kind: "public" } | { kind: "internal" } | null;
  /** `exportArgs()`: JSON text of the args validator. */
  args: string | null;
  /** `exportReturns()`: JSON text of the returns validator ("null" when there is none). */
  returns: string | null;
}

/** An HTTP route of `http.js`'s router; `path` ends with "*" for a prefix route. */
export interface HttpRoute {
  method: string;
  path: string;
}

/** One job of `crons.js`'s default export (`cronJobs()`), keyed by its identifier. */
export interface CronJobSpec {
  /** The name given to `crons.interval("name", ...)`. */
  identifier: string;
  /** The function to run, "module:export" ("messages:bump"); ".js" already stripped. */
  udfPath: string;
  /** `[args]`, Convex-encoded, as the crons object stores them. */
  args: JSONValue[];
  /** Convex's `Schedule`: {type:"interval", seconds|minutes|hours} | {type:"cron", cron} | hourly | daily | weekly | monthly. */
  schedule: JSONValue;
}

/** What the CLI's `analyzedModule` holds for one module (the key is the module path with ".js"). */
export interface AnalyzedModule {
  functions: AnalyzedFunction[];
  /** Only for `http.js`: `{route: {path, method}, pos: null}` per route. */
  httpRoutes: { route: HttpRoute; pos: null }[] | null;
  /** Only for `crons.js`: `{identifier, spec: {udfPath, udfArgs, cronSchedule}}` per job. */
  cronSpecs: { identifier: string; spec: { udfPath: string; udfArgs: JSONValue[]; cronSchedule: JSONValue } }[] | null;
  sourceMapped: null;
}

/** A child component as its parent mounted it. */
export interface ChildComponentRef {
  /** Instance name in the parent ("presence", "batchWorker"). */
  name: string;
  /** The child's component path ("presence", "presence/batchWorker"). */
  path: string;
  /** The child's definition path. */
  definitionPath: string;
  /** Env bindings the parent passed to `use()`, or null. */
  env: [string, ComponentEnvBinding][] | null;
}

/** One component instance of the deployment: the app, or a (possibly nested) child. */
export interface ComponentDeployment {
  /** Component path: "" for the app, "presence", "presence/batchWorker". */
  path: string;
  /** The CLI's definition path: "" for the app, else the definition folder relative to the app's convex/ folder. */
  definitionPath: string;
  /** Instance name ("" for the app); for children, the name in the parent's `use()`. */
  name: string;
  /** The parent's component path, or null for the app. */
  parentPath: string | null;
  /** Env bindings from the parent's `use()` (null when none). Convex's "args" of a component instance. */
  args: [string, ComponentEnvBinding][] | null;
  /** The bundled `convex.config.js` of this definition; null for an app without one. */
  definition: ModuleSource | null;
  /** `definition.export()`, as evaluated at push. */
  definitionMetadata: DefinitionMetadata;
  /** Every function module and `_deps/` chunk, as pushed. For the app this includes "use node" modules and `auth.config.js`. */
  modules: ModuleSource[];
  /** The bundled `schema.js`, or null. */
  schemaModule: ModuleSource | null;
  /** The evaluated schema, or null when the component has none. */
  schema: SchemaJson | null;
  /** Children mounted by this component's definition. */
  childComponents: ChildComponentRef[];
  /** Mount prefix → "_reference/childComponent/<name>" (`app.use(x, {httpPrefix})`). */
  httpMounts: Record<string, string>;
  /** The component's exported API: every public function, by module path then export name (empty for the app). */
  exports: { type: "branch"; branch: [string, ComponentExports][] };
  /** Analysis of each entry module, keyed by module path with ".js" ("messages.js"); `_deps/` chunks excluded. */
  analysis: Record<string, AnalyzedModule>;
  /** Routes of `http.js`'s router, or null when the component has no `http.js`. */
  httpRoutes: HttpRoute[] | null;
  /** Jobs of `crons.js`, empty when none. */
  crons: CronJobSpec[];
}

/** `auth.config.js`'s default export, evaluated at push time (so `process.env` reads are resolved then). */
export interface AuthConfig {
  providers: JSONValue[];
}

/** Everything one push deployed. */
export interface Deployment {
  /** sha256 (hex) over every component's modules, definition and schema: names the folder the modules are written to. */
  hash: string;
  /** Unix ms when the push was built. */
  createdAtMs: number;
  /** The app first (path ""), then children depth-first in `use()` order. */
  components: ComponentDeployment[];
  /** The app's auth providers ({providers: []} without `auth.config.js`). */
  authConfig: AuthConfig;
  /** `functions` from convex.json, e.g. "convex/"; reported back by get_config_hashes. */
  functionsDir: string;
  /** Convex npm version the CLI bundled with (`udfServerVersion`, e.g. "1.48.0"). */
  udfServerVersion: string;
  /** `node.nodeVersion` from convex.json, if set. */
  nodeVersion: string | null;
  /** External packages of "use node" bundles (empty unless convex.json lists externalPackages). */
  nodeDependencies: { name: string; version: string }[];
}

/** The app component of a deployment. */
export function appComponent(deployment: Deployment): ComponentDeployment {
  const app = deployment.components.find((component) => component.path === "");
  if (app === undefined) throw new Error("Deployment has no app component");
  return app;
}
