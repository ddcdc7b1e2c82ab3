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
import type { IsolationSetting } from "./runtime/isolation/isolationSetting.js";
// ---- HTTP actions and auth (backend/src/httpActions, backend/src/auth) ----
import { installAuth } from "./auth/installAuth.js";
import { HttpActionSite, setDeploymentUrlEnv } from "./httpActions/httpActionSite.js";
// ---- scheduler, crons, environment variables (backend/src/scheduler, backend/src/environment) ----
import { routeEnvSystemQueries, startEnvironment, type Environment } from "./environment/index.js";
import { startScheduler, type Scheduler } from "./scheduler/index.js";
// ---- file storage and vector search (backend/src/fileStorage, backend/src/search) ----
import { installFileStorage, maxUploadBytesFromEnv } from "./fileStorage/installFileStorage.js";
import { installVectorSearch } from "./search/vectorSearch.js";
// ---- operations and observability (backend/src/operations, backend/src/observability) ----
import { installOperations, type Operations } from "./operations/installOperations.js";

export const BACKEND_VERSION = "0.1.0";

export interface BackendOptions {
  dataDir: string;
  host?: string;
  port?: number;
  sitePort?: number;
  adminKey?: string;
  log?: (line: string, level?: "info" | "debug") => void;
  /** Largest accepted file upload in bytes (default SEMS_MAX_UPLOAD_BYTES, else 100 MiB). */
  maxUploadBytes?: number;
  /** Where user code runs (runtime/isolation): "workers" (stoppable, time-limited) or "inProcess"; default SEMS_ISOLATION. */
  isolation?: IsolationSetting;
}

export interface BackendUrls {
  cloudUrl: string;
  siteUrl: string;
}

/** Turns a stored push into live module namespaces. */
export async function loadDeployment(deployment: Deployment, modulesDir: string): Promise<LoadedDeployment> {
  const components: LoadedComponent[] = [];
  for (const component of deployment.components) {
    const dir = componentModulesDir(modulesDir, deployment.hash, component.path);
    const modules = await loadComponentModules(dir, component.modules);
    components.push({
      path: component.path,
      dir,
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

  /** The scheduler and cron runner (set by `start`). */
  scheduler?: Scheduler;
  /** The deployment's environment variables (set by `start`). */
  environment?: Environment;
  /** Function logs, metrics, export/import (set by `start`). */
  operations?: Operations;

  static async start(options: BackendOptions): Promise<Backend> {
    const log = options.log ?? ((line: string) => console.log(line));
    const host = options.host ?? "127.0.0.1";
    const dataDirectory = openDataDirectory(options.dataDir);
    try {
      const { key: adminKey, generated } = resolveAdminKey({
        given: options.adminKey ?? process.env.SEMS_ADMIN_KEY,
        keyPath: dataDirectory.adminKeyPath,
      });
      const engine = new LocalEngine({ databasePath: dataDirectory.databasePath, adminKey, log, isolation: options.isolation });
      const store = new DeploymentStore(engine.writer);
      // ---- file storage (ctx.storage, /api/storage/…) and ctx.vectorSearch; sweeps interrupted uploads first ----
      const fileStorage = installFileStorage(engine, {
        blobsDir: dataDirectory.blobsDir,
        cloudUrl: () => urls.cloudUrl,
        tokenSecret: adminKey,
        maxUploadBytes: options.maxUploadBytes ?? maxUploadBytesFromEnv(),
        log,
      });
      installVectorSearch(engine);
      // ---- environment variables: process.env per component, the CLI's env endpoints ----
      const environment = startEnvironment(engine, {
        cloudUrl: `http://${host}:${options.port ?? 3210}`,
        siteUrl: `http://${host}:${options.sitePort ?? (options.port ?? 3210) + 1}`,
      });
      // ---- HTTP actions and auth: the URLs modules read at import, the token verifier, signJwt, the site port ----
      let urls: BackendUrls = { cloudUrl: "", siteUrl: "" };
      {
        const port = options.port ?? 3210;
        setDeploymentUrlEnv({ cloudUrl: `http://${host}:${port}`, siteUrl: `http://${host}:${options.sitePort ?? port + 1}` });
      }
      const authLayer = installAuth(engine, () => urls.cloudUrl);
      const httpActionSite = new HttpActionSite(engine, log);
      const onDeployment = (deployment: Deployment) => {
        authLayer.setProviders(deployment.authConfig.providers);
        httpActionSite.setDeployment(deployment);
      };

      const previous = store.load();
      if (previous) {
        engine.activate(await loadDeployment(previous, dataDirectory.modulesDir));
        onDeployment(previous);
        environment.setComponents(previous.components);
        log(`Serving the last push (${previous.hash.slice(0, 12)}, ${appComponent(previous).modules.length} modules).`);
      }

      // ---- scheduler: runs jobs (and crons) that fell due while the backend was down ----
      const scheduler = await startScheduler(engine, { log });
      if (previous) await scheduler.syncCrons(previous);

      // The push API saves through `store` after applying; we save inside the
      // apply's own transaction instead, so this copy's save is a no-op.
      const pushStore = Object.create(store) as DeploymentStore;
      pushStore.save = () => {};
      // ---- operations and observability: function logs and metrics, /health, export/import, `convex data` ----
      // Its routes go first: its live /api/stream_function_logs replaces the push API's placeholder.
      const operations = installOperations(engine, {
        dataDir: dataDirectory.root,
        databasePath: dataDirectory.databasePath,
        version: BACKEND_VERSION,
        log,
        blobs: fileStorage.blobs, // snapshot export/import of file storage (operations/storageExport.ts, storageImport.ts)
      });
      routeEnvSystemQueries(engine); // `npx convex env get/list` past the operations layer's `_system/` handler
      const api = createApiServer({
        engine,
        log,
        routes: [...operations.routes, ...pushRoutes({
          isAdminKey: (key) => engine.isAdminKey(key),
          store: pushStore,
          modulesDir: dataDirectory.modulesDir,
          applyDeployment: async (deployment) => {
            const loaded = await loadDeployment(deployment, dataDirectory.modulesDir);
            await engine.deploy(loaded, schemasOf(deployment), () => store.save(deployment));
            onDeployment(deployment);
            environment.setComponents(deployment.components);
            await scheduler.syncCrons(deployment);
            log(`Deployed ${appComponent(deployment).modules.length} modules (${deployment.hash.slice(0, 12)}).`);
          },
          canonicalUrls: () => ({ convexCloudUrl: urls.cloudUrl, convexSiteUrl: urls.siteUrl }),
          countDocuments: (component, table) => engine.countDocuments(component, table),
          environmentVariables: () => environment.variables.asRecord(),
        })],
        functionRoutes: { version: BACKEND_VERSION, instanceName: "sems-local" },
      });
      api.addRoutes(authLayer.apiRoutes);
      api.addRoutes(environment.routes);
      api.addRoutes(fileStorage.routes);
      const site = httpActionSite.server;
      const port = await listen(api.server, options.port ?? 3210, host);
      const sitePort = await listen(site, options.sitePort ?? port + 1, host);
      urls = { cloudUrl: `http://${host}:${port}`, siteUrl: `http://${host}:${sitePort}` };
      httpActionSite.siteUrl = urls.siteUrl;
      setDeploymentUrlEnv(urls);
      environment.setUrls(urls);
      const backend = new Backend(engine, dataDirectory, adminKey, generated, api, site, urls, log);
      backend.scheduler = scheduler;
      backend.environment = environment;
      backend.operations = operations;
      return backend;
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
    this.scheduler?.close();
    this.operations?.close();
    this.engine.close();
    this.dataDirectory.release();
    this.log("Backend stopped.");
  }
}
