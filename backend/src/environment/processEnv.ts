// `process.env` per execution. All functions run in this one Node process, so
// the real `process.env` (the backend's own settings, the admin key, …) must
// not be what user code sees. `process.env` becomes a Proxy: inside a running
// function (found through the execution context's AsyncLocalStorage) it reads
// that function's component's variables; everywhere else — the backend itself,
// its libraries, module loading — it is the real environment.
//
// Writes inside a function stay with that top-level execution (its nested
// calls see them), as in Convex where each execution gets its own copy.
import { executionStorage, type ExecutionContext } from "../runtime/executionContext.js";

export type EnvLookup = (component: string) => Readonly<Record<string, string>>;

let lookup: EnvLookup = () => ({});
let installed = false;
const overlays = new WeakMap<ExecutionContext, Record<string, string | undefined>>();

function rootOf(context: ExecutionContext): ExecutionContext {
  let root = context;
  while (root.parent) root = root.parent;
  return root;
}

/** The env a function of `context` sees: its component's variables plus its own writes. */
function view(context: ExecutionContext): Record<string, string> {
  const base = lookup(context.component);
  const overlay = overlays.get(rootOf(context));
  if (!overlay) return base as Record<string, string>;
  const merged: Record<string, string> = { ...base };
  for (const [name, value] of Object.entries(overlay)) {
    if (value === undefined) delete merged[name];
    else merged[name] = value;
  }
  return merged;
}

function overlayOf(context: ExecutionContext): Record<string, string | undefined> {
  const root = rootOf(context);
  let overlay = overlays.get(root);
  if (!overlay) overlays.set(root, (overlay = {}));
  return overlay;
}

/** Installs the Proxy once; later calls only change where the variables come from. */
export function installProcessEnv(envFor: EnvLookup): void {
  lookup = envFor;
  if (installed) return;
  installed = true;
  const real = process.env;
  process.env = new Proxy(real, {
    get(target, property) {
      const context = executionStorage.getStore();
      if (!context || typeof property !== "string") return Reflect.get(target, property);
      return view(context)[property];
    },
    has(target, property) {
      const context = executionStorage.getStore();
      if (!context || typeof property !== "string") return Reflect.has(target, property);
      return Object.prototype.hasOwnProperty.call(view(context), property);
    },
    set(target, property, value) {
      const context = executionStorage.getStore();
      if (!context || typeof property !== "string") return Reflect.set(target, property, value);
      overlayOf(context)[property] = String(value);
      return true;
    },
    deleteProperty(target, property) {
      const context = executionStorage.getStore();
      if (!context || typeof property !== "string") return Reflect.deleteProperty(target, property);
      overlayOf(context)[property] = undefined;
      return true;
    },
    ownKeys(target) {
      const context = executionStorage.getStore();
      if (!context) return Reflect.ownKeys(target);
      return Object.keys(view(context));
    },
    getOwnPropertyDescriptor(target, property) {
      const context = executionStorage.getStore();
      if (!context || typeof property !== "string") return Reflect.getOwnPropertyDescriptor(target, property);
      const values = view(context);
      if (!Object.prototype.hasOwnProperty.call(values, property)) return undefined;
      return { value: values[property], writable: true, enumerable: true, configurable: true };
    },
  });
}
