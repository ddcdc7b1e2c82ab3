// `ctx.storage` (node_modules/convex/src/server/impl/storage_impl.ts):
// - queries: getUrl, getMetadata (read in the query's transaction);
// - mutations: also generateUploadUrl, delete, and the 1.48 additions
//   store/get with base64 bytes (1.0/storageStore, 1.0/storageGet);
// - actions: the same through their own transactions, and store/get with
//   Blob objects (JS syscalls storage/storeBlob, storage/getBlob).
import fs from "node:fs";
import type { Transaction } from "../database/transaction.js";
import type { JSONValue } from "../engine/contract.js";
import type { LocalEngine } from "../engine/localEngine.js";
import type { ExecutionContext } from "../runtime/executionContext.js";
import { SyscallError } from "../runtime/syscalls.js";
import { readSnapshot } from "../search/snapshotReader.js";
import { BlobTooLargeError, type BlobStore, type WrittenBlob } from "./blobStore.js";
import { deleteStoredFile, findStoredFile, insertStoredFile, type StoredFile } from "./storedFiles.js";
import { createUploadToken } from "./uploadToken.js";

export interface StorageSyscallOptions {
  engine: LocalEngine;
  blobs: BlobStore;
  /** CONVEX_CLOUD_URL of this backend (known once the port is bound). */
  cloudUrl: () => string;
  tokenSecret: string;
  maxUploadBytes: number;
}

function storageIdOf(args: Record<string, unknown>): string {
  const id = args.storageId;
  if (typeof id !== "string") throw new SyscallError(`Invalid argument \`storageId\`: expected a string, got ${JSON.stringify(id)}`);
  return id;
}

export function downloadUrl(cloudUrl: string, file: StoredFile): string {
  return `${cloudUrl}/api/storage/${file.key}`;
}

function checkSha256(written: WrittenBlob, expected: unknown): void {
  if (typeof expected !== "string") return;
  if (expected === written.sha256.toString("base64") || expected.toLowerCase() === written.sha256.toString("hex")) return;
  throw new SyscallError(`The file's SHA-256 digest does not match the given sha256 ${JSON.stringify(expected)}.`);
}

const ASYNC_OPS = new Set([
  "1.0/storageGenerateUploadUrl",
  "1.0/storageGetUrl",
  "1.0/storageGetMetadata",
  "1.0/storageDelete",
  "1.0/storageStore",
  "1.0/storageGet",
]);

export class StorageSyscalls {
  constructor(private readonly options: StorageSyscallOptions) {}

  /** Runs `work` in the function's transaction, or (actions) in a snapshot of our own. */
  private read<T>(context: ExecutionContext, work: (tx: Transaction) => T): T {
    return context.tx ? work(context.tx) : readSnapshot(this.options.engine, work);
  }

  private async write<T>(context: ExecutionContext, op: string, work: (tx: Transaction) => T): Promise<T> {
    if (context.tx) {
      if (context.tx.mode !== "write") throw new SyscallError(`${op} is not available in queries: use a mutation or an action.`);
      return work(context.tx);
    }
    return this.options.engine.writeTransaction(async (tx) => work(tx));
  }

  /** The op's result, or undefined when `op` is not a storage syscall. */
  handleAsync(op: string, args: Record<string, unknown>, context: ExecutionContext): Promise<JSONValue> | undefined {
    return ASYNC_OPS.has(op) ? this.runAsync(op, args, context) : undefined;
  }

  private async runAsync(op: string, args: Record<string, unknown>, context: ExecutionContext): Promise<JSONValue> {
    switch (op) {
      case "1.0/storageGenerateUploadUrl": {
        if (context.kind === "query") throw new SyscallError("storage.generateUploadUrl is not available in queries.");
        const token = createUploadToken(this.options.tokenSecret, context.component);
        return `${this.options.cloudUrl()}/api/storage/upload?token=${encodeURIComponent(token)}`;
      }
      case "1.0/storageGetUrl": {
        const file = this.read(context, (tx) => findStoredFile(tx, context.component, storageIdOf(args)));
        return file ? downloadUrl(this.options.cloudUrl(), file) : null;
      }
      case "1.0/storageGetMetadata": {
        const file = this.read(context, (tx) => findStoredFile(tx, context.component, storageIdOf(args)));
        if (!file) return null;
        return {
          storageId: file.storageId,
          sha256: Buffer.from(file.sha256, "base64").toString("hex"),
          size: file.size,
          contentType: file.contentType,
        };
      }
      case "1.0/storageDelete": {
        const storageId = storageIdOf(args);
        const deleted = await this.write(context, "storage.delete", (tx) => deleteStoredFile(tx, context.component, storageId));
        if (!deleted) throw new SyscallError(`Storage ID "${storageId}" not found: the file does not exist or was already deleted.`);
        return {};
      }
      case "1.0/storageStore": {
        if (context.kind === "query") throw new SyscallError("storage.store is not available in queries.");
        const bytes = Buffer.from(String(args.blob ?? ""), "base64");
        if (bytes.length > this.options.maxUploadBytes) throw new SyscallError(new BlobTooLargeError(this.options.maxUploadBytes).message);
        const written = await this.options.blobs.writeBytes(bytes);
        return this.commitWritten(context, written, (args.contentType as string | null | undefined) || null, args.sha256);
      }
      case "1.0/storageGet": {
        const file = this.read(context, (tx) => findStoredFile(tx, context.component, storageIdOf(args)));
        if (!file) return null;
        const bytes = await fs.promises.readFile(this.options.blobs.pathOf(file.key));
        return { blob: bytes.toString("base64"), contentType: file.contentType };
      }
      default:
        throw new SyscallError(`Unknown storage syscall ${op}`);
    }
  }

  handleJs(op: string, args: Record<string, unknown>, context: ExecutionContext): Promise<unknown> | undefined {
    switch (op) {
      case "storage/storeBlob":
        return (async () => {
          const blob = args.blob as Blob;
          const options = (args.options ?? {}) as { sha256?: string };
          let written: WrittenBlob;
          try {
            written = await this.options.blobs.write(blob.stream() as unknown as AsyncIterable<Uint8Array>, this.options.maxUploadBytes);
          } catch (error) {
            if (error instanceof BlobTooLargeError) throw new SyscallError(error.message);
            throw error;
          }
          return this.commitWritten(context, written, blob.type || null, options.sha256);
        })();
      case "storage/getBlob":
        return (async () => {
          const file = this.read(context, (tx) => findStoredFile(tx, context.component, storageIdOf(args)));
          if (!file) return null;
          // A lazily read file-backed Blob: large files are not loaded at once.
          return fs.openAsBlob(this.options.blobs.pathOf(file.key), { type: file.contentType ?? "" });
        })();
      default:
        return undefined;
    }
  }

  private async commitWritten(context: ExecutionContext, written: WrittenBlob, contentType: string | null, sha256: unknown): Promise<string> {
    try {
      checkSha256(written, sha256);
      return await this.write(context, "storage.store", (tx) => insertStoredFile(tx, context.component, { ...written, contentType }));
    } catch (error) {
      await this.options.blobs.remove(written.key);
      throw error;
    }
  }
}
