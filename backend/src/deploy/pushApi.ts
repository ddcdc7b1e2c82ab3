// The push API the unmodified Convex CLI (`npx convex dev | deploy | codegen`
// with CONVEX_SELF_HOSTED_URL / CONVEX_SELF_HOSTED_ADMIN_KEY) talks to.
//
// The CLI's sequence, and what each step does here:
//   get_config_hashes       → hashes of the current app modules (the CLI then sends only changed ones)
//   deploy2/evaluate_schema → build the push (load + analyze modules) and predict schema/index changes
//   deploy2/start_push      → same build; answer the analysis codegen needs; remember it as a pending push
//   deploy2/wait_for_schema → apply it through `applyDeployment` (validate documents, backfill
//                             indexes, swap the running code) and save it; a SchemaValidationError
//                             becomes Convex's "failed" status, which the CLI prints and exits 1
//   deploy2/finish_push     → report the diff (installed components, indexes, crons)
//   deploy2/report_push_completed → accepted and ignored (tracing spans)
// `npx convex codegen` stops after start_push, so nothing is applied for it.

import type { IncomingMessage, ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";

import type { ApiRoute } from "../engine/contract.js";
import { pruneDeploymentDirs } from "../runtime/moduleLoader.js";
import { buildDeployment, definitionInputs, deploymentHash } from "./buildDeployment.js";
import type { Deployment } from "./deployment.js";
import type { DeploymentStore } from "./deploymentStore.js";
import { adminKeyFromHeader, badAdminKey, drain, missingAdminKey, readJson, respond } from "./httpIo.js";
import { PushError } from "./pushError.js";
import {
  evaluateSchemaResponse,
  finishPushDiff,
  indexDiffs,
  startPushResponse,
  type CountDocuments,
} from "./pushResponses.js";
import { cliSupportRoutes, type CanonicalUrls } from "./cliSupportRoutes.js";
import type { FinishPushDiff, SchemaStatus, StartPushRequest } from "./wireTypes.js";

export interface PushDeps {
  /** True when `key` is this deployment's admin key. */
  isAdminKey(key: string): boolean;
  store: DeploymentStore;
  /** Where pushed modules are written (`<modulesDir>/<deploymentHash>/…`). */
  modulesDir: string;
  /**
   * Makes a pushed deployment live: validates existing documents against the
   * new schemas, backfills new indexes, swaps the running modules. Throwing an
   * error named "SchemaValidationError" (optional `tableName`, `componentPath`)
   * refuses the push; its message reaches the developer's terminal.
   */
  applyDeployment(deployment: Deployment): Promise<void> | void;
  /** For dry runs (`deploy --dry-run`): check without applying. Same error contract. Default: accept. */
  checkDeployment?(deployment: Deployment): Promise<void> | void;
  /** The deployment's environment variables (the CLI compares them in finish_push). Default: none. */
  environmentVariables?(): Record<string, string>;
  /** Document count of a table, for the CLI's large-index warnings. Default: 0. */
  countDocuments?: CountDocuments;
  /** The URLs `get_canonical_urls` reports. Default: derived from the request's Host (site = port + 1). */
  canonicalUrls?(request: IncomingMessage): CanonicalUrls;
  /** How long `stream_function_logs` holds a poll open when there is nothing to say. Default 10 s. */
  logPollMs?: number;
}

/** A push between start_push and finish_push. */
interface PendingPush {
  deployment: Deployment;
  /** Hash of the deployment it replaces (null on the first push): if another push lands first, this one lost a race. */
  baseHash: string | null;
  diff: FinishPushDiff;
  dryRun: boolean;
  /** Set once wait_for_schema (or finish_push) starts applying. */
  outcome?: Promise<SchemaStatus>;
}

const MAX_PENDING_PUSHES = 8;
const MAX_CACHED_BUILDS = 4;
/** Deployment folders kept on disk: the live one and a few before it (late lazy imports). */
const KEPT_DEPLOYMENT_DIRS = 3;

export function pushRoutes(deps: PushDeps): ApiRoute[] {
  const pending = new Map<string, PendingPush>();
  const builds = new Map<string, Promise<Deployment>>();
  /** Applies run one at a time, in arrival order. */
  let applyQueue: Promise<unknown> = Promise.resolve();

  const build = async (request: StartPushRequest): Promise<{ deployment: Deployment; previous: Deployment | null }> => {
    const previous = deps.store.load();
    const inputs = definitionInputs(request, previous);
    const hash = deploymentHash(inputs);
    let deployment = builds.get(hash);
    if (deployment === undefined) {
      deployment = buildDeployment(request, inputs, hash, deps.modulesDir);
      builds.set(hash, deployment);
      deployment.catch(() => builds.delete(hash));
      while (builds.size > MAX_CACHED_BUILDS) builds.delete(builds.keys().next().value!);
    }
    return { deployment: await deployment, previous };
  };

  const apply = (push: PendingPush): Promise<SchemaStatus> => {
    push.outcome ??= (async () => {
      const run = applyQueue.then(async (): Promise<SchemaStatus> => {
        const current = deps.store.currentHash();
        if (current !== push.baseHash && current !== push.deployment.hash) return { type: "raceDetected" };
        try {
          await deps.applyDeployment(push.deployment);
        } catch (error) {
          const failed = schemaValidationFailure(error);
          if (failed !== null) return failed;
          throw error;
        }
        deps.store.save(push.deployment);
        const keep = new Set([...deps.store.recentHashes(KEPT_DEPLOYMENT_DIRS), ...[...pending.values()].map((p) => p.deployment.hash)]);
        pruneDeploymentDirs(deps.modulesDir, [...keep]);
        return { type: "complete" };
      });
      applyQueue = run.catch(() => undefined);
      return await run;
    })();
    return push.outcome;
  };

  const check = async (push: PendingPush): Promise<SchemaStatus> => {
    try {
      await deps.checkDeployment?.(push.deployment);
      return { type: "complete" };
    } catch (error) {
      const failed = schemaValidationFailure(error);
      if (failed !== null) return failed;
      throw error;
    }
  };

  const pendingFor = (body: unknown, where: "schemaChange" | "startPush"): PendingPush | undefined => {
    const b = body as { schemaChange?: { schemaIds?: { pushId?: unknown } }; startPush?: { schemaChange?: { schemaIds?: { pushId?: unknown } } } };
    const pushId = where === "schemaChange" ? b.schemaChange?.schemaIds?.pushId : b.startPush?.schemaChange?.schemaIds?.pushId;
    return typeof pushId === "string" ? pending.get(pushId) : undefined;
  };

  const authenticated = (path: string, handler: (body: unknown, request: IncomingMessage, response: ServerResponse) => Promise<unknown>) =>
    ({
      method: "POST",
      path,
      handle: (request, response) =>
        respond(response, async () => {
          const headerKey = adminKeyFromHeader(request);
          if (headerKey !== null && !deps.isAdminKey(headerKey)) {
            await drain(request);
            throw badAdminKey();
          }
          const body = await readJson(request);
          const bodyKey = (body as { adminKey?: unknown } | null)?.adminKey;
          if (typeof bodyKey === "string" ? !deps.isAdminKey(bodyKey) : headerKey === null) {
            throw headerKey === null && typeof bodyKey !== "string" ? missingAdminKey() : badAdminKey();
          }
          return await handler(body, request, response);
        }),
    }) satisfies ApiRoute;

  const routes: ApiRoute[] = [
    authenticated("/api/get_config_hashes", async () => {
      const deployment = deps.store.load();
      const config: Record<string, unknown> = {
        functions: deployment?.functionsDir ?? "convex/",
        authInfo: deployment?.authConfig.providers ?? [],
      };
      if (deployment?.nodeVersion) config.nodeVersion = deployment.nodeVersion;
      return {
        config,
        moduleHashes: deps.store.moduleHashes(),
        nodeDependencies: deployment?.nodeDependencies ?? [],
        udfServerVersion: deployment?.udfServerVersion ?? null,
      };
    }),

    authenticated("/api/deploy2/evaluate_schema", async (body) => {
      const { deployment, previous } = await build(asStartPushRequest(body));
      return evaluateSchemaResponse(deployment, previous, deps.countDocuments ?? (() => 0));
    }),

    authenticated("/api/deploy2/evaluate_push", async (body) => {
      const { deployment, previous } = await build(asStartPushRequest(body));
      return { schemaChange: { allocatedComponentIds: null, schemaIds: null, indexDiffs: indexDiffs(deployment, previous) } };
    }),

    authenticated("/api/deploy2/start_push", async (body) => {
      const request = asStartPushRequest(body);
      const { deployment, previous } = await build(request);
      const pushId = randomUUID();
      pending.set(pushId, {
        deployment,
        baseHash: previous?.hash ?? null,
        diff: finishPushDiff(deployment, previous),
        dryRun: request.dryRun,
      });
      while (pending.size > MAX_PENDING_PUSHES) pending.delete(pending.keys().next().value!);
      return startPushResponse(deployment, previous, pushId, deps.environmentVariables?.() ?? {});
    }),

    authenticated("/api/deploy2/wait_for_schema", async (body) => {
      const push = pendingFor(body, "schemaChange");
      // Unknown push: this backend restarted, or a newer push evicted it.
      if (push === undefined) return { type: "raceDetected" } satisfies SchemaStatus;
      const timeoutMs = numberOr((body as { timeoutMs?: unknown }).timeoutMs, 10_000);
      const dryRun = (body as { dryRun?: unknown }).dryRun === true || push.dryRun;
      const outcome = dryRun ? check(push) : apply(push);
      const status = await withTimeout(outcome, timeoutMs, inProgress(push.deployment));
      if (status.type === "failed" || status.type === "raceDetected") forget(pending, push);
      return status;
    }),

    authenticated("/api/deploy2/finish_push", async (body) => {
      const dryRun = (body as { dryRun?: unknown }).dryRun === true;
      const emptyDiff: FinishPushDiff = { authDiff: { added: [], removed: [] }, definitionDiffs: {}, componentDiffs: {} };
      const push = pendingFor(body, "startPush");
      if (push === undefined) {
        if (dryRun) return emptyDiff;
        throw new PushError(400, "RaceDetected", "This push is no longer pending on the backend (it restarted, or another push replaced it). Push again.");
      }
      if (dryRun || push.dryRun) {
        forget(pending, push);
        return emptyDiff;
      }
      const status = await apply(push);
      forget(pending, push);
      if (status.type === "raceDetected") throw new PushError(400, "RaceDetected", "Schema was overwritten by another push. Push again.");
      if (status.type === "failed") throw new PushError(400, "SchemaValidationFailed", status.error);
      return push.diff;
    }),

    authenticated("/api/deploy2/report_push_completed", async () => null),

    ...cliSupportRoutes({
      isAdminKey: deps.isAdminKey,
      ...(deps.canonicalUrls ? { canonicalUrls: deps.canonicalUrls } : {}),
      ...(deps.logPollMs !== undefined ? { logPollMs: deps.logPollMs } : {}),
    }),
  ];
  return routes;
}

/** The lead's runtime throws `SchemaValidationError`; matched by name so this module needs no import of it. */
function schemaValidationFailure(error: unknown): SchemaStatus | null {
  if (!(error instanceof Error) || error.name !== "SchemaValidationError") return null;
  const details = error as Error & { tableName?: unknown; componentPath?: unknown };
  return {
    type: "failed",
    error: error.message,
    componentPath: typeof details.componentPath === "string" ? details.componentPath : "",
    tableName: typeof details.tableName === "string" ? details.tableName : null,
  };
}

function inProgress(deployment: Deployment): SchemaStatus {
  const components: Record<string, { schemaValidationComplete: boolean; indexesComplete: number; indexesTotal: number }> = {};
  for (const component of deployment.components) {
    components[component.path] = { schemaValidationComplete: false, indexesComplete: 0, indexesTotal: 0 };
  }
  return { type: "inProgress", components };
}

async function withTimeout<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function forget(pending: Map<string, PendingPush>, push: PendingPush): void {
  for (const [id, candidate] of pending) if (candidate === push) pending.delete(id);
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : fallback;
}

function asStartPushRequest(body: unknown): StartPushRequest {
  const request = body as Partial<StartPushRequest> | null;
  if (
    request === null ||
    typeof request !== "object" ||
    typeof request.appDefinition !== "object" ||
    request.appDefinition === null ||
    !Array.isArray(request.appDefinition.changedModules) ||
    !Array.isArray(request.appDefinition.unchangedModuleHashes) ||
    !Array.isArray(request.componentDefinitions)
  ) {
    throw new PushError(400, "InvalidConfig", "The push request is missing appDefinition or componentDefinitions; is the CLI a convex 1.x release?");
  }
  return {
    ...request,
    dryRun: request.dryRun === true,
    functions: typeof request.functions === "string" ? request.functions : "convex/",
    nodeDependencies: Array.isArray(request.nodeDependencies) ? request.nodeDependencies : [],
  } as StartPushRequest;
}
