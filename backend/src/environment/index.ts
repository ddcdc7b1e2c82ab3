// The environment layer: the stored variables, the CLI's env endpoints, and
// `process.env` inside functions (per component, per execution).
import type { ApiRoute } from "../engine/contract.js";
import type { LocalEngine } from "../engine/localEngine.js";
import { resolveComponentEnvs, type ComponentEnvSource, type SystemUrls } from "./componentEnv.js";
import { envRoutes } from "./envRoutes.js";
import { EnvironmentVariables } from "./envStore.js";
import { installProcessEnv } from "./processEnv.js";
import { installEnvSystemQueries } from "./systemQueries.js";
export { routeEnvSystemQueries } from "./systemQueries.js";

export { EnvironmentVariables, type EnvVar, type EnvVarChange } from "./envStore.js";

export interface Environment {
  variables: EnvironmentVariables;
  /** Routes for the API port (`/api/update_environment_variables`). */
  routes: ApiRoute[];
  /** Call when a push becomes live (and on start): components' env bindings come from it. */
  setComponents(components: ComponentEnvSource[]): void;
  /** Call once the ports are known. */
  setUrls(urls: SystemUrls): void;
  /** The env a function of `component` sees. */
  envFor(component: string): Readonly<Record<string, string>>;
}

export function startEnvironment(engine: LocalEngine, urls: SystemUrls = { cloudUrl: "", siteUrl: "" }): Environment {
  const variables = new EnvironmentVariables(engine);
  let components: ComponentEnvSource[] = [];
  let currentUrls = urls;
  let resolved = resolveComponentEnvs(components, variables.asRecord(), currentUrls);
  const refresh = () => {
    resolved = resolveComponentEnvs(components, variables.asRecord(), currentUrls);
  };
  variables.onChange(refresh);
  // Unknown components (an in-process test without a push) get only the system URLs.
  const envFor = (component: string) => resolved.get(component) ?? resolveComponentEnvs([], {}, currentUrls).get("")!;
  installProcessEnv(envFor);
  installEnvSystemQueries(engine, variables);
  return {
    variables,
    routes: envRoutes({ isAdminKey: (key) => engine.isAdminKey(key), variables }),
    setComponents(next) {
      components = next;
      refresh();
    },
    setUrls(next) {
      currentUrls = next;
      refresh();
    },
    envFor,
  };
}
