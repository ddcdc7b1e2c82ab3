// Builds a `Deployment` from the CLI's start_push request: resolves the app
// modules the CLI sent by hash only, evaluates every `convex.config.js` to
// learn the component tree, evaluates schemas and `auth.config.js`, and
// analyzes every component's modules by loading them in this process.

import { createHash } from "node:crypto";
import path from "node:path";

import type { JSONValue } from "../engine/contract.js";
import {
  componentDepsImports,
  componentModulesDir,
  loadComponentDefinition,
  loadComponentModules,
  loadModule,
  moduleSha256,
  type ComponentDependency,
  type ModuleNamespace,
} from "../runtime/moduleLoader.js";
import { analyzeComponent, fileBasedExports } from "./analysis.js";
import {
  appComponent,
  type AuthConfig,
  type ComponentDeployment,
  type DefinitionMetadata,
  type Deployment,
  type ModuleSource,
  type SchemaJson,
} from "./deployment.js";
import { badPush, describeError } from "./pushError.js";
import type { StartPushRequest } from "./wireTypes.js";

/** One component definition of the push: the app's (path "") or a child's. */
interface DefinitionInput {
  definitionPath: string;
  definition: ModuleSource | null;
  schema: ModuleSource | null;
  modules: ModuleSource[];
}

/** Resolves the request's definitions, with the app's unchanged modules taken from `previous`. */
export function definitionInputs(request: StartPushRequest, previous: Deployment | null): DefinitionInput[] {
  const app = request.appDefinition;
  const previousApp = previous === null ? [] : appComponent(previous).modules;
  const unchanged = app.unchangedModuleHashes.map((wanted) => {
    const found = previousApp.find(
      (module) => module.path === wanted.path && module.environment === wanted.environment && moduleSha256(module) === wanted.sha256,
    );
    if (found === undefined) {
      // The CLI asked get_config_hashes moments ago; another push replaced the modules since.
      throw badPush(
        "RaceDetected",
        `Module ${wanted.path} (sha256 ${wanted.sha256}) is no longer on this deployment; another push replaced it. Push again.`,
      );
    }
    return found;
  });
  return [
    {
      definitionPath: "",
      definition: app.definition,
      schema: app.schema,
      modules: [...app.changedModules, ...unchanged].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    },
    ...request.componentDefinitions.map((component) => ({
      definitionPath: component.definitionPath,
      definition: component.definition,
      schema: component.schema,
      modules: component.functions,
    })),
  ];
}

/** Content hash of a push: equal pushes share a modules folder and a cached build. */
export function deploymentHash(inputs: readonly DefinitionInput[]): string {
  const hash = createHash("sha256");
  const add = (text: string) => hash.update(`${text.length}:`).update(text);
  for (const input of [...inputs].sort((a, b) => (a.definitionPath < b.definitionPath ? -1 : 1))) {
    add(input.definitionPath);
    for (const module of [input.definition, input.schema, ...input.modules]) {
      if (module === null) {
        add("-");
        continue;
      }
      add(module.path);
      add(module.environment);
      add(module.source);
      add(module.sourceMap ?? "");
    }
  }
  return hash.digest("hex");
}

/** Builds the deployment: writes and loads every module, evaluates definitions, schemas and auth config. */
export async function buildDeployment(
  request: StartPushRequest,
  inputs: readonly DefinitionInput[],
  hash: string,
  modulesDir: string,
): Promise<Deployment> {
  const byPath = new Map(inputs.map((input) => [input.definitionPath, input]));
  const metadata = await evaluateDefinitions(inputs, byPath, path.join(modulesDir, hash, "definitions"));

  // Instantiate the tree: the app, then each `use()` depth-first.
  const components: ComponentDeployment[] = [];
  const analyzed = new Map<string, Pick<ComponentDeployment, "analysis" | "httpRoutes" | "crons" | "schema">>();
  let authConfig: AuthConfig = { providers: [] };

  const instantiate = async (
    definitionPath: string,
    componentPath: string,
    name: string,
    parentPath: string | null,
    args: ComponentDeployment["args"],
  ): Promise<void> => {
    if (components.some((component) => component.path === componentPath)) {
      throw badPush("InvalidComponentName", `Two components are mounted at "${componentPath}".`);
    }
    const input = byPath.get(definitionPath);
    if (input === undefined) {
      throw badPush("MissingComponentDefinition", `Component "${componentPath}" uses definition "${definitionPath}", which the push did not include.`);
    }
    const definition = metadata.get(definitionPath)!;
    const dir = componentModulesDir(modulesDir, hash, componentPath);
    const namespaces = await loadOrExplain(dir, input.modules, componentPath);
    let derived = analyzed.get(definitionPath);
    if (derived === undefined) {
      const analysis = explain(() => analyzeComponent(namespaces), componentPath);
      const schema = input.schema === null ? null : await evaluateSchema(dir, input.schema, componentPath);
      derived = { analysis: analysis.modules, httpRoutes: analysis.httpRoutes, crons: analysis.crons, schema };
      analyzed.set(definitionPath, derived);
    }
    if (componentPath === "") authConfig = evaluateAuthConfig(namespaces.get("auth.config"));

    const childComponents = definition.childComponents.map((child) => ({
      name: child.name,
      path: componentPath === "" ? child.name : `${componentPath}/${child.name}`,
      definitionPath: child.path,
      env: child.env ?? null,
    }));
    components.push({
      path: componentPath,
      definitionPath,
      name,
      parentPath,
      args,
      definition: input.definition,
      definitionMetadata: definition,
      modules: input.modules,
      schemaModule: input.schema,
      schema: derived.schema,
      childComponents,
      httpMounts: definition.httpMounts,
      exports: componentPath === "" ? definition.exports : fileBasedExports(derived.analysis),
      analysis: derived.analysis,
      httpRoutes: derived.httpRoutes,
      crons: derived.crons,
    });
    for (const child of childComponents) {
      await instantiate(child.definitionPath, child.path, child.name, componentPath, child.env);
    }
  };
  await instantiate("", "", "", null, null);

  return {
    hash,
    createdAtMs: Date.now(),
    components,
    authConfig,
    functionsDir: request.functions,
    udfServerVersion: request.appDefinition.udfServerVersion,
    nodeVersion: request.nodeVersion ?? null,
    nodeDependencies: request.nodeDependencies,
  };
}

/**
 * Evaluates every definition, children before the parents that import them
 * (a parent's `use(child)` needs the child's `defineComponent` name).
 */
async function evaluateDefinitions(
  inputs: readonly DefinitionInput[],
  byPath: ReadonlyMap<string, DefinitionInput>,
  definitionsDir: string,
): Promise<Map<string, DefinitionMetadata>> {
  const evaluated = new Map<string, DefinitionMetadata>();
  const inProgress = new Set<string>();

  const evaluate = async (definitionPath: string): Promise<DefinitionMetadata> => {
    const done = evaluated.get(definitionPath);
    if (done !== undefined) return done;
    const input = byPath.get(definitionPath);
    if (input === undefined) {
      throw badPush("MissingComponentDefinition", `A component definition imports "${definitionPath}", which the push did not include.`);
    }
    if (input.definition === null) {
      const empty: DefinitionMetadata = {
        definitionType: { type: "app" },
        childComponents: [],
        httpMounts: {},
        exports: { type: "branch", branch: [] },
      };
      evaluated.set(definitionPath, empty);
      return empty;
    }
    if (inProgress.has(definitionPath)) {
      throw badPush("InvalidComponentDefinition", `Component definitions import each other in a cycle through "${definitionPath}".`);
    }
    inProgress.add(definitionPath);
    const dependencies: ComponentDependency[] = [];
    for (const id of componentDepsImports(input.definition.source)) {
      const dependencyPath = Buffer.from(id, "base64url").toString("utf8");
      const child = await evaluate(dependencyPath);
      if (child.name === undefined) {
        throw badPush("InvalidComponentDefinition", `"${dependencyPath}" is not a component definition (defineComponent).`);
      }
      dependencies.push({ definitionPath: dependencyPath, defaultName: child.name });
    }
    const folder = path.join(definitionsDir, createHash("sha256").update(definitionPath).digest("hex").slice(0, 16));
    const label = definitionPath === "" ? "convex.config.js" : `${definitionPath}/convex.config.js`;
    let result: DefinitionMetadata;
    try {
      const exported = (await loadComponentDefinition(folder, input.definition, dependencies)) as { export?: () => DefinitionMetadata };
      if (typeof exported?.export !== "function") throw new Error("its default export is not defineApp() or defineComponent()");
      result = exported.export();
    } catch (error) {
      throw badPush("InvalidComponentDefinition", `Hit an error while evaluating ${label}:\n${describeError(error)}`);
    }
    inProgress.delete(definitionPath);
    evaluated.set(definitionPath, result);
    return result;
  };

  for (const input of inputs) await evaluate(input.definitionPath);
  return evaluated;
}

async function loadOrExplain(dir: string, modules: readonly ModuleSource[], componentPath: string): Promise<Map<string, ModuleNamespace>> {
  try {
    return await loadComponentModules(dir, modules);
  } catch (error) {
    throw badPush("ModuleLoadError", `Hit an error while pushing${where(componentPath)}:\nLoading the modules failed: ${describeError(error)}`);
  }
}

function explain<T>(compute: () => T, componentPath: string): T {
  try {
    return compute();
  } catch (error) {
    throw badPush("InvalidModules", `Hit an error while pushing${where(componentPath)}:\n${describeError(error)}`);
  }
}

async function evaluateSchema(dir: string, schemaModule: ModuleSource, componentPath: string): Promise<SchemaJson> {
  try {
    const namespace = await loadModule(dir, schemaModule);
    const schema = namespace.default as { export?: () => string } | undefined;
    if (typeof schema?.export !== "function") throw new Error("schema.ts must `export default defineSchema(...)`");
    return JSON.parse(schema.export()) as SchemaJson;
  } catch (error) {
    throw badPush("InvalidSchema", `Hit an error while evaluating schema.js${where(componentPath)}:\n${describeError(error)}`);
  }
}

function evaluateAuthConfig(namespace: ModuleNamespace | undefined): AuthConfig {
  if (namespace === undefined) return { providers: [] };
  const config = namespace.default as { providers?: unknown } | undefined;
  if (config === undefined || config === null || !Array.isArray(config.providers)) {
    throw badPush("AuthConfigInvalid", "auth.config.ts must `export default { providers: [...] }`.");
  }
  // Round-trip through JSON: providers are plain data, and `undefined` fields drop out.
  return { providers: JSON.parse(JSON.stringify(config.providers)) as JSONValue[] };
}

function where(componentPath: string): string {
  return componentPath === "" ? "" : ` in component "${componentPath}"`;
}
