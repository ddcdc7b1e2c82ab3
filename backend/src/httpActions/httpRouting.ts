// Finds the HTTP action a request goes to: the app's `http.js` router, or the
// router of a component the app mounted with `app.use(c, {httpPrefix})`
// (`httpMounts`, longest prefix first; nested mounts resolve recursively).
// A mounted component's router sees the path with the mount prefix removed.
import type { LoadedDeployment, RegisteredFunction } from "../runtime/loadedDeployment.js";

/** The slice of convex/server's `HttpRouter` we call. */
interface HttpRouterLike {
  isRouter: true;
  lookup(path: string, method: string): readonly [RegisteredFunction, string, string] | null;
}

export interface RouteMatch {
  fn: RegisteredFunction;
  component: string;
  /** "GET /api/auth/*": the route as registered, for logs. */
  route: string;
}

/** component path → mount prefix → child component path. */
export type HttpMounts = Map<string, Map<string, string>>;

/** Builds the mount table from each component's `httpMounts` ("/presence/" → "_reference/childComponent/presence"). */
export function httpMountsOf(
  deployment: LoadedDeployment,
  components: readonly { path: string; httpMounts: Record<string, string> }[],
): HttpMounts {
  const mounts: HttpMounts = new Map();
  for (const component of components) {
    const table = new Map<string, string>();
    for (const [prefix, reference] of Object.entries(component.httpMounts ?? {})) {
      const childName = reference.replace(/^_reference\/childComponent\//, "");
      const child = deployment.component(component.path)?.children.get(childName);
      if (child !== undefined) table.set(prefix, child);
    }
    if (table.size > 0) mounts.set(component.path, table);
  }
  return mounts;
}

function routerOf(deployment: LoadedDeployment, component: string): HttpRouterLike | null {
  const router = deployment.component(component)?.modules.get("http")?.default as HttpRouterLike | undefined;
  return router && router.isRouter === true && typeof router.lookup === "function" ? router : null;
}

export function findHttpRoute(
  deployment: LoadedDeployment,
  mounts: HttpMounts,
  pathname: string,
  method: string,
  component = "",
): RouteMatch | null {
  const table = mounts.get(component);
  if (table) {
    const prefixes = [...table.keys()].sort((a, b) => b.length - a.length);
    for (const prefix of prefixes) {
      const bare = prefix.endsWith("/") ? prefix.slice(0, -1) : prefix;
      if (pathname === bare || pathname.startsWith(bare + "/")) {
        const inner = pathname.slice(bare.length) || "/";
        return findHttpRoute(deployment, mounts, inner, method, table.get(prefix)!);
      }
    }
  }
  const router = routerOf(deployment, component);
  const found = router?.lookup(pathname, method);
  if (!found) return null;
  const [fn, routedMethod, routedPath] = found;
  return { fn, component, route: `${routedMethod} ${routedPath}` };
}
