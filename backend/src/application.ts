// The running backend: opens the data directory, starts the engine, serves the
// API port (sync WebSocket, HTTP API, the CLI's push API) and the site port
// (HTTP actions), and brings back the last push after a restart.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { resolveAdminKey } from "./adminKey.js";
import type { DatabaseSchema } from "./database/schema.js";
import { appComponent, type Deployment } from "./deploy/deployment.js";
import { DeploymentStore } from "./deploy/deploymentStore.js";
import { pushRoutes } from "./deploy/pushApi.js";
import { LocalEngine } from "./engine/localEngine.js";
import { createApiServer, type ApiServer } from "./http/apiServer.js";
import { LoadedDeployment, type LoadedComponent } from "./runtime/loadedDeployment.js";
import { componentModulesDir, loadComponentModules } from "./runtime/moduleLoader.js";
import { openDataDirectory, type DataDirectory } from "./storage/dataDirectory.js";

export const BACKEND_VERSION = "0.1.0";

export interface BackendOptions {
  dataDir: string;
  host?: string;
  port?: number;
  sitePort?: number;
  adminKey?: string;
  log?: (line: string, level?: "info" | "debug") => void;
}

export interface BackendUrls {
  cloudUrl: string;
  siteUrl: string;
}

/** Turns a stored push into live module namespaces. */
export async function loadDeployment(deployment: Deployment, modulesDir: string): Promise<LoadedDeployment> {
  const components: LoadedComponent[] = [];
  for (const component of deployment.components) {
    const modules = await loadComponentModules(componentModulesDir(modulesDir, deployment.hash, component.path), component.modules);
    components.push({
      path: component.path,
      modules,
      children: new Map(component.childComponents.map((child) => [child.name, child.path])),
    });
  }
  return new LoadedDeployment(components);
}

function schemasOf(deployment: Deployment): Map<string, DatabaseSchema | null> {
  return new Map(deployment.components.map((c) => [c.path, (c.schema as DatabaseSchema | null) ?? null]));
}

function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export class Backend {
  private constructor(
    readonly engine: LocalEngine,
    readonly dataDirectory: DataDirectory,
    readonly adminKey: string,
    readonly adminKeyGenerated: boolean,
    readonly api: ApiServer,
    readonly site: http.Server,
    readonly urls: BackendUrls,
    private readonly log: (line: string, level?: "info" | "debug") => void,
  ) {}

  static async start(options: BackendOptions): Promise<Backend> {
    const log = options.log ?? ((line: string) => console.log(line));
    const host = options.host ?? "127.0.0.1";
    const dataDirectory = openDataDirectory(options.dataDir);
    try {
      const { key: adminKey, generated } = resolveAdminKey({
        given: options.adminKey ?? process.env.SEMS_ADMIN_KEY,
        keyPath: dataDirectory.adminKeyPath,
      });
      const engine = new LocalEngine({ databasePath: dataDirectory.databasePath, adminKey, log });
      const store = new DeploymentStore(engine.writer);

      const previous = store.load();
      if (previous) {
        engine.activate(await loadDeployment(previous, dataDirectory.modulesDir));
        log(`Serving the last push (${previous.hash.slice(0, 12)}, ${appComponent(previous).modules.length} modules).`);
      }

      // The push API saves through `store` after applying; we save inside the
      // apply's own transaction instead, so this copy's save is a no-op.
      const pushStore = Object.create(store) as DeploymentStore;
      pushStore.save = () => {};
      let urls: BackendUrls = { cloudUrl: "", siteUrl: "" };
      const api = createApiServer({
        engine,
        log,
        routes: pushRoutes({
          isAdminKey: (key) => engine.isAdminKey(key),
          store: pushStore,
          modulesDir: dataDirectory.modulesDir,
          applyDeployment: async (deployment) => {
            const loaded = await loadDeployment(deployment, dataDirectory.modulesDir);
            await engine.deploy(loaded, schemasOf(deployment), () => store.save(deployment));
            log(`Deployed ${appComponent(deployment).modules.length} modules (${deployment.hash.slice(0, 12)}).`);
          },
          canonicalUrls: () => ({ convexCloudUrl: urls.cloudUrl, convexSiteUrl: urls.siteUrl }),
          countDocuments: (component, table) => engine.countDocuments(component, table),
        }),
        functionRoutes: { version: BACKEND_VERSION, instanceName: "sems-local" },
      });
      const site = http.createServer((request, response) => {
        response.writeHead(404, { "content-type": "application/json" });
        response.end(JSON.stringify({ code: "NotFound", message: `No HTTP action is routed at ${request.url}` }));
      });
      const port = await listen(api.server, options.port ?? 3210, host);
      const sitePort = await listen(site, options.sitePort ?? port + 1, host);
      urls = { cloudUrl: `http://${host}:${port}`, siteUrl: `http://${host}:${sitePort}` };
      return new Backend(engine, dataDirectory, adminKey, generated, api, site, urls, log);
    } catch (error) {
      dataDirectory.release();
      throw error;
    }
  }

  async close(): Promise<void> {
    await Promise.all([
      new Promise<void>((resolve) => this.api.server.close(() => resolve())),
      new Promise<void>((resolve) => {
        this.site.close(() => resolve());
        this.site.closeAllConnections();
      }),
    ]);
    this.engine.close();
    this.dataDirectory.release();
    this.log("Backend stopped.");
  }
}
