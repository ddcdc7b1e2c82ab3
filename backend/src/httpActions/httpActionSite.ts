// The site port's state across pushes: which code and mounts to route into,
// and the URLs Convex exposes to functions as CONVEX_CLOUD_URL / CONVEX_SITE_URL.
import type http from "node:http";
import type { Deployment } from "../deploy/deployment.js";
import type { LogFn } from "../engine/contract.js";
import type { LocalEngine } from "../engine/localEngine.js";
import type { LoadedDeployment } from "../runtime/loadedDeployment.js";
import { httpMountsOf, type HttpMounts } from "./httpRouting.js";
import { createSiteServer } from "./siteServer.js";

export class HttpActionSite {
  readonly server: http.Server;
  private components: Deployment["components"] = [];
  private mountsFor: LoadedDeployment | null = null;
  private mounts: HttpMounts = new Map();
  siteUrl = "http://127.0.0.1";

  constructor(private readonly engine: LocalEngine, log: LogFn) {
    this.server = createSiteServer({
      engine,
      log,
      deployment: () => engine.loadedDeployment,
      mounts: () => this.currentMounts(),
      siteUrl: () => this.siteUrl,
    });
  }

  /** Call with every push (and the push a restart serves) so component `httpMounts` route. */
  setDeployment(deployment: Deployment): void {
    this.components = deployment.components;
    this.mountsFor = null;
  }

  private currentMounts(): HttpMounts {
    const loaded = this.engine.loadedDeployment;
    if (this.mountsFor !== loaded) {
      this.mounts = httpMountsOf(loaded, this.components);
      this.mountsFor = loaded;
    }
    return this.mounts;
  }
}

/**
 * Convex gives every function `process.env.CONVEX_CLOUD_URL` and
 * `CONVEX_SITE_URL` (Better Auth's routes and auth config read the latter).
 * Set before the last push is loaded, and again once the ports are known.
 */
export function setDeploymentUrlEnv(urls: { cloudUrl: string; siteUrl: string }): void {
  process.env.CONVEX_CLOUD_URL = urls.cloudUrl;
  process.env.CONVEX_SITE_URL = urls.siteUrl;
}
