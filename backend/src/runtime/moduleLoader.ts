// Turns the CLI's bundled modules into live module namespaces in this Node
// process.
//
// The Convex CLI bundles every component with esbuild into ES modules whose
// only imports are relative (`./_deps/<chunk>.js`, `../_deps/...`), so the
// bundles run unchanged once they sit in a directory laid out like the push:
// we write them under `<modulesDir>/<deploymentHash>/<component folder>/` and
// `import()` them. A folder per deployment hash means a new push never
// collides with Node's module cache of the previous one.
//
// Nothing here calls Convex syscalls: registering functions at import time
// does not need `globalThis.Convex`, and the runtime installs it before any
// function runs.

import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Script, constants as vmConstants } from "node:vm";

import type { ModuleSource } from "../deploy/deployment.js";
import { executionStorage, type ExecutionContext } from "./executionContext.js";

/** A module namespace object as `import()` returns it. */
export type ModuleNamespace = Record<string, unknown>;

/**
 * The folder one component instance's modules are written to.
 * Component paths are identifiers joined by "/" ("", "presence",
 * "presence/batchWorker"); identifiers never contain ".", so
 * `component.presence.batchWorker` cannot collide with the app folder or with
 * a module folder inside another component.
 */
export function componentModulesDir(modulesDir: string, deploymentHash: string, componentPath: string): string {
  const folder = componentPath === "" ? "app" : `component.${componentPath.split("/").join(".")}`;
  return path.join(modulesDir, deploymentHash, folder);
}

/**
 * Writes `modules` under `componentDir`, then imports every entry module (all
 * but the `_deps/` chunks, which the entries import themselves).
 * Returns the namespaces keyed by module path without ".js" ("messages",
 * "folder/sub", "http", "crons", "auth.config").
 */
export async function loadComponentModules(
  componentDir: string,
  modules: readonly ModuleSource[],
): Promise<Map<string, ModuleNamespace>> {
  writeComponentModules(componentDir, modules);
  const loaded = new Map<string, ModuleNamespace>();
  for (const module of modules) {
    if (isChunk(module.path)) continue;
    loaded.set(stripJsExtension(module.path), await importFile(path.join(componentDir, module.path)));
  }
  return loaded;
}

/** Loads one module already written by `writeComponentModules` (or writes it first). */
export async function loadModule(componentDir: string, module: ModuleSource): Promise<ModuleNamespace> {
  writeComponentModules(componentDir, [module]);
  return await importFile(path.join(componentDir, module.path));
}

/** What a `_componentDeps/<base64url(definitionPath)>` import must provide to `app.use(...)`. */
export interface ComponentDependency {
  /** The child's definition path as the CLI names it, e.g. "../node_modules/@convex-dev/presence/dist/component". */
  definitionPath: string;
  /** The name the child passed to `defineComponent`; `use()` takes it as the instance name by default. */
  defaultName: string;
}

/**
 * Evaluates a bundled `convex.config.js` and returns its default export (the
 * object `defineApp()` / `defineComponent()` built).
 *
 * In the bundle, `import x from "<child>/convex.config"` became the external
 * import `./_componentDeps/<base64url(definitionPath)>`; Convex's own backend
 * answers it with `{componentDefinitionPath, defaultName}`, and so do we.
 * Node's ESM loader wants file extensions, so the specifiers get ".js".
 */
export async function loadComponentDefinition(
  componentDir: string,
  definition: ModuleSource,
  dependencies: readonly ComponentDependency[],
): Promise<unknown> {
  const definitionDir = path.join(componentDir, "_definition");
  const depsDir = path.join(definitionDir, "_componentDeps");
  for (const dependency of dependencies) {
    const file = path.join(depsDir, `${Buffer.from(dependency.definitionPath).toString("base64url")}.js`);
    const body =
      `export default ${JSON.stringify({
        componentDefinitionPath: dependency.definitionPath,
        defaultName: dependency.defaultName,
      })};\n`;
    writeIfChanged(file, body);
  }
  const rewritten = { ...definition, source: addExtensionToComponentDeps(definition.source) };
  writeComponentModules(definitionDir, [rewritten]);
  const namespace = await importFile(path.join(definitionDir, definition.path));
  return namespace.default;
}

/** The base64url ids of every `_componentDeps` import in a bundled definition. */
export function componentDepsImports(source: string): string[] {
  return [...source.matchAll(COMPONENT_DEPS_SPECIFIER)].map((match) => match[2]!);
}

/**
 * Writes modules (and their source maps) below `componentDir`, plus a
 * `package.json` that makes Node treat the `.js` files as ES modules.
 * Files whose content is already there are left alone.
 */
export function writeComponentModules(componentDir: string, modules: readonly ModuleSource[]): void {
  writeIfChanged(path.join(componentDir, "package.json"), '{ "type": "module" }\n');
  for (const module of modules) {
    const file = resolveInside(componentDir, module.path);
    const source = module.environment === "node" ? withNodeRequire(module.source) : module.source;
    writeIfChanged(file, source);
    if (module.sourceMap !== undefined) writeIfChanged(`${file}.map`, module.sourceMap);
  }
}

/**
 * Deletes every deployment folder under `modulesDir` except those named in
 * `keep`. Modules already imported stay loaded; only files go.
 */
export function pruneDeploymentDirs(modulesDir: string, keep: readonly string[]): void {
  if (!existsSync(modulesDir)) return;
  for (const entry of readdirSync(modulesDir, { withFileTypes: true })) {
    if (entry.isDirectory() && !keep.includes(entry.name) && /^[0-9a-f]{16,}$/.test(entry.name)) {
      rmSync(path.join(modulesDir, entry.name), { recursive: true, force: true });
    }
  }
}

/** sha256 of a module as the CLI computes it (source, then source map) for `get_config_hashes`. */
export function moduleSha256(module: ModuleSource): string {
  return createHash("sha256")
    .update(module.source)
    .update(module.sourceMap ?? "")
    .digest("hex");
}

export function isChunk(modulePath: string): boolean {
  return modulePath.startsWith("_deps/");
}

export function stripJsExtension(modulePath: string): string {
  return modulePath.endsWith(".js") ? modulePath.slice(0, -".js".length) : modulePath;
}

const COMPONENT_DEPS_SPECIFIER = /(["'])\.\/_componentDeps\/([A-Za-z0-9_-]+)\1/g;

function addExtensionToComponentDeps(source: string): string {
  return source.replace(COMPONENT_DEPS_SPECIFIER, (_match, quote: string, id: string) => `${quote}./_componentDeps/${id}.js${quote}`);
}

/**
 * "use node" bundles are built for Node and may contain esbuild's
 * `__require` shim for CommonJS dependencies, which calls the free variable
 * `require` — absent in an ES module. Give such files a module-local
 * `require`. The prelude goes on the first line so source-map lines stay put.
 */
function withNodeRequire(source: string): string {
  if (!source.includes("typeof require")) return source;
  return (
    'import { createRequire as __semsCreateRequire } from "node:module"; ' +
    "const require = __semsCreateRequire(import.meta.url); " +
    source
  );
}

/** Module paths come from the (admin-authenticated) CLI; still, never write outside the folder. */
function resolveInside(dir: string, relative: string): string {
  const normalized = path.posix.normalize(relative);
  if (path.posix.isAbsolute(normalized) || normalized.split("/").includes("..") || normalized === ".") {
    throw new Error(`Invalid module path "${relative}"`);
  }
  return path.join(dir, ...normalized.split("/"));
}

function writeIfChanged(file: string, content: string): void {
  if (existsSync(file) && readFileSync(file, "utf8") === content) return;
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
}

/**
 * Node's own `import()`, out of reach of bundlers and test runners that
 * rewrite `import()` expressions (Vitest would otherwise push megabytes of
 * already-bundled code through its transform).
 * A `Function`-made `import()` works when this file was loaded by Node's
 * loader (the built backend). Under Vitest it has no loader to call, so we
 * fall back to a `vm.Script` bound to the main context's loader (flagged
 * experimental by Node 20, hence only as a fallback).
 */
type Importer = (specifier: string) => Promise<ModuleNamespace>;
let nativeImport: Promise<Importer> | undefined;

async function chooseNativeImport(): Promise<Importer> {
  const viaFunction = new Function("specifier", "return import(specifier)") as Importer;
  try {
    await viaFunction("data:text/javascript,export default 0");
    return viaFunction;
  } catch {
    return new Script("(specifier) => import(specifier)", {
      importModuleDynamically: vmConstants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    }).runInThisContext() as Importer;
  }
}

async function importFile(file: string): Promise<ModuleNamespace> {
  nativeImport ??= chooseNativeImport();
  const load = await nativeImport;
  const component = componentOfFile(file);
  if (component === null) return await load(pathToFileURL(file).href);
  // Module top levels read `process.env` too (Convex provides the deployment's
  // variables there): evaluate inside a context that names the component, so
  // the environment layer answers with that component's variables.
  return await executionStorage.run(loadingContext(component), () => load(pathToFileURL(file).href));
}

/** The component path of a module file written by `componentModulesDir` ("app" → "", "component.a.b" → "a/b"). */
function componentOfFile(file: string): string | null {
  // <modulesDir>/<deployment hash>/<app | component.a.b>/<module path>
  for (let dir = path.dirname(file); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (!/^[0-9a-f]{16,}$/.test(path.basename(path.dirname(dir)))) continue;
    const name = path.basename(dir);
    if (name === "app") return "";
    if (name.startsWith("component.")) return name.slice("component.".length).split(".").join("/");
  }
  return null;
}

function loadingContext(component: string): ExecutionContext {
  return {
    kind: "action",
    component,
    udfPath: "(module load)",
    tx: null,
    auth: { kind: "none" },
    streams: new Map(),
    nextStreamId: 1,
    paginateCalls: 0,
    journal: { endCursorIn: null, endCursorOut: null },
    logLines: [],
    frozenNowMs: null,
    random: null,
    requestId: "module-load",
    parent: null,
  };
}
