// Computes, from a component's loaded module namespaces, what the Convex CLI
// expects in start_push's `analysis` (functions with visibility, type and
// validators; HTTP routes; crons) and the file-based exports of a component.
// Registered functions carry flags set by `convex/server`'s registration
// helpers (`isQuery`, `isPublic`, `exportArgs()`, …), so reading them needs no
// syscalls.

import type { JSONValue } from "../engine/contract.js";
import type { ModuleNamespace } from "../runtime/moduleLoader.js";
import type {
  AnalyzedFunction,
  AnalyzedModule,
  ComponentExports,
  CronJobSpec,
  HttpRoute,
} from "./deployment.js";

/** Modules that are configuration, not functions: never listed in the analysis. */
const CONFIG_MODULES = new Set(["auth.config"]);

export interface ComponentAnalysis {
  /** Keyed by module path with ".js". */
  modules: Record<string, AnalyzedModule>;
  httpRoutes: HttpRoute[] | null;
  crons: CronJobSpec[];
}

/**
 * Analyzes every entry module of a component. `namespaces` is keyed by module
 * path without ".js", as `loadComponentModules` returns it.
 */
export function analyzeComponent(namespaces: ReadonlyMap<string, ModuleNamespace>): ComponentAnalysis {
  const modules: Record<string, AnalyzedModule> = {};
  let httpRoutes: HttpRoute[] | null = null;
  let crons: CronJobSpec[] = [];
  for (const [modulePath, namespace] of namespaces) {
    if (CONFIG_MODULES.has(modulePath)) continue;
    const analyzed: AnalyzedModule = {
      functions: analyzeFunctions(modulePath, namespace),
      httpRoutes: null,
      cronSpecs: null,
      sourceMapped: null,
    };
    if (modulePath === "http") {
      httpRoutes = routesOf(namespace.default);
      if (httpRoutes !== null) analyzed.httpRoutes = httpRoutes.map((route) => ({ route, pos: null }));
    }
    if (modulePath === "crons") {
      crons = cronsOf(namespace.default);
      analyzed.cronSpecs = crons.map((job) => ({
        identifier: job.identifier,
        spec: { udfPath: job.udfPath, udfArgs: job.args, cronSchedule: job.schedule },
      }));
    }
    modules[`${modulePath}.js`] = analyzed;
  }
  return { modules, httpRoutes, crons };
}

interface RegisteredFunctionFlags {
  isQuery?: boolean;
  isMutation?: boolean;
  isAction?: boolean;
  isPublic?: boolean;
  isInternal?: boolean;
  exportArgs?: () => string;
  exportReturns?: () => string;
}

function analyzeFunctions(modulePath: string, namespace: ModuleNamespace): AnalyzedFunction[] {
  const functions: AnalyzedFunction[] = [];
  for (const [name, value] of Object.entries(namespace)) {
    if (typeof value !== "function" && (typeof value !== "object" || value === null)) continue;
    const flags = value as RegisteredFunctionFlags;
    const udfType = flags.isQuery ? "Query" : flags.isMutation ? "Mutation" : flags.isAction ? "Action" : null;
    // HTTP actions (`isHttp`) are served through the router, not listed as functions.
    if (udfType === null) continue;
    try {
      functions.push({
        name,
        pos: null,
        udfType,
        visibility: flags.isPublic ? { kind: "public" } : flags.isInternal ? { kind: "internal" } : null,
        args: typeof flags.exportArgs === "function" ? flags.exportArgs() : null,
        returns: typeof flags.exportReturns === "function" ? flags.exportReturns() : null,
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`Invalid validator for ${modulePath}:${name}: ${reason}`);
    }
  }
  return functions.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function routesOf(router: unknown): HttpRoute[] | null {
  const candidate = router as { isRouter?: boolean; getRoutes?: () => ReadonlyArray<readonly [string, string, unknown]> } | null;
  if (candidate === null || typeof candidate !== "object" || candidate.isRouter !== true) return null;
  if (typeof candidate.getRoutes !== "function") return null;
  return candidate.getRoutes().map(([path, method]) => ({ method, path }));
}

function cronsOf(crons: unknown): CronJobSpec[] {
  const candidate = crons as { isCrons?: boolean; crons?: Record<string, { name: string; args: JSONValue[]; schedule: JSONValue }> } | null;
  if (candidate === null || typeof candidate !== "object" || candidate.isCrons !== true || candidate.crons === undefined) {
    return [];
  }
  return Object.entries(candidate.crons).map(([identifier, job]) => ({
    identifier,
    udfPath: stripJsFromUdfPath(job.name),
    args: job.args,
    schedule: job.schedule,
  }));
}

/** "messages.js:bump" → "messages:bump"; "messages" (default export) stays. */
function stripJsFromUdfPath(udfPath: string): string {
  const [modulePath, exportName] = udfPath.split(":");
  const stripped = modulePath!.endsWith(".js") ? modulePath!.slice(0, -3) : modulePath!;
  return exportName === undefined ? stripped : `${stripped}:${exportName}`;
}

/**
 * A child component's exports: every public function, under its module path's
 * segments then its export name — what Convex's backend derives ("file-based
 * exports") and what `components.<name>.<module>.<fn>` resolves against.
 */
export function fileBasedExports(modules: Record<string, AnalyzedModule>): { type: "branch"; branch: [string, ComponentExports][] } {
  interface Node {
    children: Map<string, Node>;
    leaf: string | null;
  }
  const root: Node = { children: new Map(), leaf: null };
  for (const [modulePathWithJs, module] of Object.entries(modules)) {
    const modulePath = modulePathWithJs.replace(/\.js$/, "");
    for (const fn of module.functions) {
      if (fn.visibility?.kind !== "public") continue;
      let node = root;
      for (const segment of [...modulePath.split("/"), fn.name]) {
        let next = node.children.get(segment);
        if (next === undefined) {
          next = { children: new Map(), leaf: null };
          node.children.set(segment, next);
        }
        node = next;
      }
      node.leaf = `_reference/function/${modulePath}:${fn.name}`;
    }
  }
  const serialize = (node: Node): ComponentExports =>
    node.leaf !== null
      ? { type: "leaf", leaf: node.leaf }
      : { type: "branch", branch: [...node.children].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, child]) => [key, serialize(child)]) };
  return serialize(root) as { type: "branch"; branch: [string, ComponentExports][] };
}
