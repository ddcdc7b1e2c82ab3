// Persists the last successful push in the backend's SQLite database, so a
// restart serves it without deploying again, and answers the CLI's
// get_config_hashes (which app modules the deployment already has, so the CLI
// sends only changed ones).
//
// One row holds the whole `Deployment` as JSON: a push is a few MB, written
// once per deploy, read once at start.

import type { Database } from "better-sqlite3";

import { moduleSha256 } from "../runtime/moduleLoader.js";
import { appComponent, type Deployment, type ModuleEnvironment } from "./deployment.js";

/** One app module as get_config_hashes reports it (the CLI's `BundleHash`). */
export interface ModuleHash {
  path: string;
  /** sha256 hex of source then source map, as the CLI computes it. */
  hash: string;
  environment: ModuleEnvironment;
}

export class DeploymentStore {
  private cached: { deployment: Deployment | null; moduleHashes: ModuleHash[] } | undefined;

  constructor(private readonly db: Database) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS deploy_current (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        hash TEXT NOT NULL,
        saved_at_ms INTEGER NOT NULL,
        deployment_json TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS deploy_history (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        hash TEXT NOT NULL,
        saved_at_ms INTEGER NOT NULL
      );
    `);
  }

  /** Makes `deployment` the current one (replacing the previous) and records it in the history. */
  save(deployment: Deployment): void {
    const json = JSON.stringify(deployment);
    const now = Date.now();
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO deploy_current (id, hash, saved_at_ms, deployment_json) VALUES (1, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET hash = excluded.hash, saved_at_ms = excluded.saved_at_ms, deployment_json = excluded.deployment_json`,
        )
        .run(deployment.hash, now, json);
      this.db.prepare("INSERT INTO deploy_history (hash, saved_at_ms) VALUES (?, ?)").run(deployment.hash, now);
    })();
    this.cached = { deployment: JSON.parse(json) as Deployment, moduleHashes: [] };
    this.cached.moduleHashes = moduleHashesOf(this.cached.deployment);
  }

  /** The last saved deployment, or null before the first push. */
  load(): Deployment | null {
    return this.current().deployment;
  }

  /** Hash of the current deployment, or null. */
  currentHash(): string | null {
    return this.current().deployment?.hash ?? null;
  }

  /** The current app modules with their hashes, for get_config_hashes. */
  moduleHashes(): ModuleHash[] {
    return this.current().moduleHashes;
  }

  /** Hashes of the last `limit` saved deployments, newest first (the module folders worth keeping). */
  recentHashes(limit: number): string[] {
    const rows = this.db.prepare("SELECT hash FROM deploy_history ORDER BY seq DESC LIMIT ?").all(limit) as { hash: string }[];
    return rows.map((row) => row.hash);
  }

  private current(): { deployment: Deployment | null; moduleHashes: ModuleHash[] } {
    if (this.cached === undefined) {
      const row = this.db.prepare("SELECT deployment_json FROM deploy_current WHERE id = 1").get() as
        | { deployment_json: string }
        | undefined;
      const deployment = row === undefined ? null : (JSON.parse(row.deployment_json) as Deployment);
      this.cached = { deployment, moduleHashes: moduleHashesOf(deployment) };
    }
    return this.cached;
  }
}

function moduleHashesOf(deployment: Deployment | null): ModuleHash[] {
  if (deployment === null) return [];
  return appComponent(deployment).modules.map((module) => ({
    path: module.path,
    hash: moduleSha256(module),
    environment: module.environment,
  }));
}
