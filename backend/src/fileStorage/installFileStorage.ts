// Wires file storage into an engine: the storage syscalls (chained onto any
// hooks already installed), the upload/download routes, unlinking a deleted
// file's blob once its transaction commits, and the start-up sweep of
// temporaries and orphaned blobs a crash may have left.
import type { ApiRoute } from "../engine/contract.js";
import type { LocalEngine } from "../engine/localEngine.js";
import { BlobStore } from "./blobStore.js";
import { StorageSyscalls } from "./storageSyscalls.js";
import { storageRoutes } from "./storageRoutes.js";
import { allBlobKeys, ensureStoredFilesSchema, unlinkableAfterCommit } from "./storedFiles.js";

/** Convex's limit on a single upload is far higher; 100 MiB suits school documents. */
export const DEFAULT_MAX_UPLOAD_BYTES = 100 * 1024 * 1024;

export interface FileStorageOptions {
  blobsDir: string;
  cloudUrl: () => string;
  /** Signs upload URLs; the admin key in a real backend. */
  tokenSecret: string;
  maxUploadBytes?: number;
  log?: (line: string) => void;
}

export interface FileStorage {
  routes: ApiRoute[];
  blobs: BlobStore;
  maxUploadBytes: number;
}

/** The upload limit from SEMS_MAX_UPLOAD_BYTES, else the default. */
export function maxUploadBytesFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.SEMS_MAX_UPLOAD_BYTES;
  if (raw === undefined || raw === "") return DEFAULT_MAX_UPLOAD_BYTES;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`SEMS_MAX_UPLOAD_BYTES must be a positive whole number of bytes, got ${JSON.stringify(raw)}.`);
  return value;
}

export function installFileStorage(engine: LocalEngine, options: FileStorageOptions): FileStorage {
  const log = options.log ?? (() => {});
  const maxUploadBytes = options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
  const blobs = new BlobStore(options.blobsDir);
  ensureStoredFilesSchema(engine.writer);

  const linked = allBlobKeys(engine.writer);
  const swept = blobs.sweep((key) => linked.has(key));
  if (swept.temporaries || swept.orphans) {
    log(`File storage: removed ${swept.temporaries} interrupted upload(s) and ${swept.orphans} unreferenced blob(s).`);
  }

  const syscalls = new StorageSyscalls({ engine, blobs, cloudUrl: options.cloudUrl, tokenSecret: options.tokenSecret, maxUploadBytes });
  const previousAsync = engine.extraAsync;
  engine.extraAsync = (op, args, context) => syscalls.handleAsync(op, args, context) ?? previousAsync?.(op, args, context);
  const previousJs = engine.extraJs;
  engine.extraJs = (op, args, context) => syscalls.handleJs(op, args, context) ?? previousJs?.(op, args, context);

  engine.onCommit(() => {
    for (const key of unlinkableAfterCommit(engine.writer)) {
      blobs.remove(key).catch((error) => log(`File storage: could not remove blob ${key}: ${(error as Error).message}`));
    }
  });

  return { routes: storageRoutes({ engine, blobs, tokenSecret: options.tokenSecret, maxUploadBytes }), blobs, maxUploadBytes };
}
