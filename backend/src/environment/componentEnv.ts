// What `process.env` holds for each component of a push.
//
// - The app sees the deployment's environment variables plus the system ones
//   (CONVEX_CLOUD_URL, CONVEX_SITE_URL), as in Convex.
// - A component sees only what its parent bound for it in `app.use(child,
//   {env: {...}})` — a literal value, or a reference to one of the parent's
//   own variables — plus the system URLs; never the app's other variables.
import type { ComponentEnvBinding } from "../deploy/deployment.js";

export interface ComponentEnvSource {
  path: string;
  parentPath: string | null;
  args: [string, ComponentEnvBinding][] | null;
}

export interface SystemUrls {
  cloudUrl: string;
  siteUrl: string;
}

export function systemEnv(urls: SystemUrls): Record<string, string> {
  return { CONVEX_CLOUD_URL: urls.cloudUrl, CONVEX_SITE_URL: urls.siteUrl };
}

/** component path → its env (frozen). Components come parents first, as a Deployment lists them. */
export function resolveComponentEnvs(
  components: ComponentEnvSource[],
  appVariables: Record<string, string>,
  urls: SystemUrls,
): Map<string, Readonly<Record<string, string>>> {
  const system = systemEnv(urls);
  const result = new Map<string, Readonly<Record<string, string>>>();
  result.set("", Object.freeze({ ...appVariables, ...system }));
  for (const component of components) {
    if (component.path === "") continue;
    const parent = result.get(component.parentPath ?? "") ?? {};
    const env: Record<string, string> = {};
    for (const [name, binding] of component.args ?? []) {
      const value = binding.type === "value" ? String(binding.value) : parent[binding.name];
      if (value !== undefined) env[name] = value;
    }
    result.set(component.path, Object.freeze({ ...env, ...system }));
  }
  return result;
}
