// File bytes under <data>/blobs, one file per stored file, named by a random
// key. A file is written to a temporary name, fsynced, renamed into place and
// the directory fsynced, so after a crash a key names either the whole file or
// nothing; temporaries left by a crash are removed at start.
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";

const TEMP_PREFIX = ".upload-";
const KEY_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export class BlobTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`The file is larger than the maximum upload size of ${limitBytes} bytes.`);
  }
}

export interface WrittenBlob {
  key: string;
  size: number;
  /** SHA-256 of the bytes. */
  sha256: Buffer;
}

export class BlobStore {
  /** Holders of `retainAll` (snapshot exports); removals wait until none is left. */
  private retainers = 0;
  private deferredRemovals = new Set<string>();

  constructor(readonly dir: string) {
    fs.mkdirSync(dir, { recursive: true });
  }

  static isKey(key: string): boolean {
    return KEY_PATTERN.test(key);
  }

  pathOf(key: string): string {
    if (!BlobStore.isKey(key)) throw new Error(`Not a blob key: ${JSON.stringify(key)}`);
    return path.join(this.dir, key);
  }

  /**
   * Streams `source` into a new blob, refusing once it passes `limitBytes` (the partial file is removed).
   * `preferredKey` (a snapshot import keeping a file's URL) is used when it is a key no blob has yet;
   * otherwise the blob gets a fresh random key. An existing blob is never replaced.
   */
  async write(
    source: AsyncIterable<Uint8Array> | Iterable<Uint8Array> | Readable,
    limitBytes = Infinity,
    preferredKey?: string,
  ): Promise<WrittenBlob> {
    let key: string = randomUUID();
    const temp = path.join(this.dir, `${TEMP_PREFIX}${key}`);
    const handle = await fs.promises.open(temp, "wx", 0o600);
    const hash = createHash("sha256");
    let size = 0;
    try {
      // Batches chunks into large writes (fewer syscalls than one per network
      // chunk) and keeps one write in flight while the next batch arrives, so
      // reading the network and writing the disk overlap.
      let pending: Uint8Array[] = [];
      let pendingBytes = 0;
      let inFlight: Promise<unknown> = Promise.resolve();
      const flush = async () => {
        await inFlight;
        if (pendingBytes === 0) return;
        const parts = pending;
        pending = [];
        pendingBytes = 0;
        inFlight = handle.writev(parts as Buffer[]);
        // A failed write must surface even if no later flush awaits it.
        inFlight.catch(() => {});
      };
      for await (const chunk of source as AsyncIterable<Uint8Array>) {
        size += chunk.byteLength;
        if (size > limitBytes) throw new BlobTooLargeError(limitBytes);
        hash.update(chunk);
        pending.push(chunk);
        pendingBytes += chunk.byteLength;
        if (pendingBytes >= 1 << 20) await flush();
      }
      await flush();
      await inFlight;
      await handle.sync();
      await handle.close();
    } catch (error) {
      await handle.close().catch(() => {});
      await fs.promises.rm(temp, { force: true });
      throw error;
    }
    if (preferredKey !== undefined && BlobStore.isKey(preferredKey) && (await this.linkNoClobber(temp, preferredKey))) {
      key = preferredKey;
      await fs.promises.rm(temp, { force: true });
    } else {
      await fs.promises.rename(temp, path.join(this.dir, key));
    }
    await this.syncDirectory();
    return { key, size, sha256: hash.digest() };
  }

  async writeBytes(bytes: Uint8Array): Promise<WrittenBlob> {
    return this.write([bytes]);
  }

  /** Hard-links `temp` as blob `key` unless a blob of that name exists (link, unlike rename, never replaces). */
  private async linkNoClobber(temp: string, key: string): Promise<boolean> {
    try {
      await fs.promises.link(temp, path.join(this.dir, key));
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
      throw error;
    }
  }

  async remove(key: string): Promise<void> {
    const file = this.pathOf(key);
    if (this.retainers > 0) {
      this.deferredRemovals.add(key);
      return;
    }
    await fs.promises.rm(file, { force: true });
  }

  /**
   * Keeps every blob on disk until the returned release is called: a snapshot
   * export retains before it opens its read transaction, so a file deleted
   * after the snapshot was taken is still there to be copied into the ZIP.
   * Removals asked for meanwhile happen on the last release.
   */
  retainAll(): () => Promise<void> {
    this.retainers++;
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      if (--this.retainers > 0) return;
      const keys = [...this.deferredRemovals];
      this.deferredRemovals.clear();
      await Promise.all(keys.map((key) => fs.promises.rm(this.pathOf(key), { force: true })));
    };
  }

  /** Removes temporaries of interrupted uploads and blobs no stored file names (a crash between writing and committing, or between committing a delete and unlinking). */
  sweep(referenced: (key: string) => boolean): { temporaries: number; orphans: number } {
    let temporaries = 0;
    let orphans = 0;
    for (const name of fs.readdirSync(this.dir)) {
      if (name.startsWith(TEMP_PREFIX)) {
        fs.rmSync(path.join(this.dir, name), { force: true });
        temporaries++;
      } else if (BlobStore.isKey(name) && !referenced(name)) {
        fs.rmSync(path.join(this.dir, name), { force: true });
        orphans++;
      }
    }
    return { temporaries, orphans };
  }

  private async syncDirectory(): Promise<void> {
    const dir = await fs.promises.open(this.dir, "r");
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }
}
