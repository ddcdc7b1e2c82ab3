// The pushed code, loaded: each component's module namespaces and children,
// and how a function address (udf path, component reference or function
// handle) resolves to a registered function in some component.
import path from "node:path";
import type { ExecutionContext } from "./executionContext.js";

export type FunctionKind = "query" | "mutation" | "action" | "httpAction";

/** What `queryGeneric(...)` & co. attach to an export (node_modules/convex/src/server/impl/registration_impl.ts). */
export interface RegisteredFunction {
  isQuery?: boolean;
  isMutation?: boolean;
  isAction?: boolean;
  isHttp?: boolean;
  isPublic?: boolean;
  isInternal?: boolean;
  invokeQuery?: (argsJson: string) => Promise<string>;
  invokeMutation?: (argsJson: string) => Promise<string>;
  invokeAction?: (requestId: string, argsJson: string) => Promise<string>;
  invokeHttpAction?: (request: Request) => Promise<Response>;
  exportArgs?: () => string;
  exportReturns?: () => string;
}

export interface LoadedComponent {
  /** "" for the app, "presence", "presence/batchWorker", … */
  path: string;
  /** Module path without ".js" → its namespace. */
  modules: Map<string, Record<string, unknown>>;
  /** Child name → the child's component path. */
  children: Map<string, string>;
  /** The folder the modules were imported from (absent for modules loaded another way): lets isolation workers import them too. */
  dir?: string;
}

/** Runs a function elsewhere (runtime/isolation): on a worker thread that can be stopped. */
export interface IsolatedInvoker {
  invoke(context: ExecutionContext, resolved: ResolvedFunction, argsJson: string): Promise<string>;
}

export interface ResolvedFunction {
  component: string;
  /** Canonical "module/path:export". */
  udfPath: string;
  fn: RegisteredFunction;
  kind: FunctionKind;
  visibility: "public" | "internal";
  /** Set when the function runs isolated: the module file and export a worker imports. */
  location?: { file: string; exportName: string };
  runner?: IsolatedInvoker;
}

export class FunctionNotFoundError extends Error {}

export function kindOf(fn: RegisteredFunction): FunctionKind | null {
  if (fn.isQuery) return "query";
  if (fn.isMutation) return "mutation";
  if (fn.isAction) return "action";
  if (fn.isHttp) return "httpAction";
  return null;
}

/** "messages.js:list" → ["messages", "list"]; "messages" → ["messages", "default"]. */
export function parseUdfPath(udfPath: string): [string, string] {
  const colon = udfPath.lastIndexOf(":");
  let module = colon < 0 ? udfPath : udfPath.slice(0, colon);
  const exportName = colon < 0 ? "default" : udfPath.slice(colon + 1);
  if (module.endsWith(".js")) module = module.slice(0, -3);
  return [module, exportName];
}

const HANDLE_PREFIX = "function://";

export class LoadedDeployment {
  private readonly components = new Map<string, LoadedComponent>();
  /** Set by an engine running user code on workers (runtime/isolation). */
  isolation: IsolatedInvoker | null = null;

  constructor(components: LoadedComponent[]) {
    for (const component of components) this.components.set(component.path, component);
  }

  static empty(): LoadedDeployment {
    return new LoadedDeployment([{ path: "", modules: new Map(), children: new Map() }]);
  }

  component(path: string): LoadedComponent | undefined {
    return this.components.get(path);
  }

  componentPaths(): string[] {
    return [...this.components.keys()];
  }

  resolve(component: string, udfPath: string): ResolvedFunction {
    const loaded = this.components.get(component);
    const [modulePath, exportName] = parseUdfPath(udfPath);
    const canonical = `${modulePath}:${exportName}`;
    const where = component ? ` in component "${component}"` : "";
    if (!loaded) throw new FunctionNotFoundError(`Could not find component "${component}".`);
    const namespace = loaded.modules.get(modulePath);
    if (!namespace) {
      throw new FunctionNotFoundError(`Could not find public function for '${canonical}'${where}. Did you forget to run \`npx convex dev\` or \`npx convex deploy\`?`);
    }
    const fn = namespace[exportName] as RegisteredFunction | undefined;
    const kind = fn && (typeof fn === "object" || typeof fn === "function") ? kindOf(fn) : null;
    if (!fn || !kind) {
      throw new FunctionNotFoundError(`Could not find public function for '${canonical}'${where}. Did you forget to run \`npx convex dev\` or \`npx convex deploy\`?`);
    }
    const resolved: ResolvedFunction = { component, udfPath: canonical, fn, kind, visibility: fn.isInternal ? "internal" : "public" };
    if (this.isolation && loaded.dir !== undefined && kind !== "httpAction") {
      resolved.location = { file: path.join(loaded.dir, `${modulePath}.js`), exportName };
      resolved.runner = this.isolation;
    }
    return resolved;
  }

  /** Every module file of every file-backed component (what isolation workers import ahead of use). */
  moduleFiles(): string[] {
    const files: string[] = [];
    for (const component of this.components.values()) {
      if (component.dir === undefined) continue;
      for (const modulePath of component.modules.keys()) files.push(path.join(component.dir, `${modulePath}.js`));
    }
    return files;
  }

  /** Resolves `{name}`, `{reference}` or `{functionHandle}` as called from `caller`. */
  resolveAddress(caller: string, address: { name?: string; reference?: string; functionHandle?: string }): ResolvedFunction {
    if (address.functionHandle !== undefined) {
      const { component, udfPath } = this.parseHandle(address.functionHandle);
      return this.resolve(component, udfPath);
    }
    if (address.reference !== undefined) {
      const { component, udfPath } = this.parseReference(caller, address.reference);
      return this.resolve(component, udfPath);
    }
    if (address.name !== undefined) return this.resolve(caller, address.name);
    throw new FunctionNotFoundError("A function call needs a name, a reference or a function handle.");
  }

  parseReference(caller: string, reference: string): { component: string; udfPath: string } {
    const prefix = "_reference/childComponent/";
    if (!reference.startsWith(prefix)) {
      throw new FunctionNotFoundError(`Unsupported function reference ${JSON.stringify(reference)}.`);
    }
    const parts = reference.slice(prefix.length).split("/");
    if (parts.length < 3) throw new FunctionNotFoundError(`Invalid component function reference ${JSON.stringify(reference)}.`);
    const [childName, ...rest] = parts;
    const child = this.components.get(caller)?.children.get(childName);
    if (child === undefined) {
      throw new FunctionNotFoundError(`Component "${childName}" is not installed${caller ? ` in component "${caller}"` : ""}.`);
    }
    const exportName = rest.pop()!;
    return { component: child, udfPath: `${rest.join("/")}:${exportName}` };
  }

  createHandle(component: string, udfPath: string): string {
    return `${HANDLE_PREFIX}${component};${udfPath}`;
  }

  parseHandle(handle: string): { component: string; udfPath: string } {
    if (!handle.startsWith(HANDLE_PREFIX) || !handle.includes(";")) {
      throw new FunctionNotFoundError(`Invalid function handle ${JSON.stringify(handle)}.`);
    }
    const body = handle.slice(HANDLE_PREFIX.length);
    const semicolon = body.indexOf(";");
    return { component: body.slice(0, semicolon), udfPath: body.slice(semicolon + 1) };
  }
}
