// A streaming ZIP writer (PKWARE APPNOTE 6.3): each entry is deflated through
// zlib as it is produced and followed by a data descriptor, so a table of a
// million documents never sits in memory whole. Written with Node alone
// (zlib deflate + zlib.crc32) rather than an npm package: the format subset we
// need is small, and the archive must stream to disk.
//
// Limits: no ZIP64, so an archive stays under 4 GiB and 65,535 entries; the
// writer refuses clearly past them rather than write a corrupt file.

import { once } from "node:events";
import type { FileHandle } from "node:fs/promises";
import { open } from "node:fs/promises";
import { constants, crc32, createDeflateRaw } from "node:zlib";

const LOCAL_HEADER = 0x04034b50;
const DATA_DESCRIPTOR = 0x08074b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const FLAG_DATA_DESCRIPTOR = 0x0008;
const FLAG_UTF8 = 0x0800;
const METHOD_DEFLATE = 8;
const VERSION_NEEDED = 20;
/** "Made by" Unix (3), spec 2.0, so the external attributes carry permissions. */
const VERSION_MADE_BY = (3 << 8) | 20;
const REGULAR_FILE_0644 = (0o100644 << 16) >>> 0;
const MAX_U32 = 0xffffffff;
const MAX_ENTRIES = 0xffff;

interface CentralEntry {
  name: Buffer;
  crc: number;
  compressedSize: number;
  size: number;
  offset: number;
  dosTime: number;
  dosDate: number;
}

export type EntrySource = Buffer | string | AsyncIterable<Buffer | string>;

function dosDateTime(date: Date): { dosTime: number; dosDate: number } {
  const year = Math.max(1980, date.getFullYear());
  return {
    dosTime: (date.getHours() << 11) | (date.getMinutes() << 5) | Math.floor(date.getSeconds() / 2),
    dosDate: ((year - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
  };
}

export class ZipWriter {
  private readonly entries: CentralEntry[] = [];
  private offset = 0;
  private closed = false;

  private constructor(
    private readonly file: FileHandle,
    /** zlib level: speed matters more than a few percent of size for snapshots. */
    private readonly level: number,
  ) {}

  static async create(path: string, options: { level?: number } = {}): Promise<ZipWriter> {
    return new ZipWriter(await open(path, "w"), options.level ?? constants.Z_BEST_SPEED);
  }

  /** Adds one file; `source` may be a buffer, a string, or a stream of chunks. */
  async add(name: string, source: EntrySource): Promise<void> {
    if (this.closed) throw new Error("The ZIP archive is already closed.");
    if (this.entries.length >= MAX_ENTRIES) throw new Error(`A snapshot ZIP holds at most ${MAX_ENTRIES} entries (no ZIP64 support).`);
    const nameBytes = Buffer.from(name, "utf8");
    const { dosTime, dosDate } = dosDateTime(new Date());
    const entry: CentralEntry = { name: nameBytes, crc: 0, compressedSize: 0, size: 0, offset: this.offset, dosTime, dosDate };

    const header = Buffer.alloc(30);
    header.writeUInt32LE(LOCAL_HEADER, 0);
    header.writeUInt16LE(VERSION_NEEDED, 4);
    header.writeUInt16LE(FLAG_DATA_DESCRIPTOR | FLAG_UTF8, 6);
    header.writeUInt16LE(METHOD_DEFLATE, 8);
    header.writeUInt16LE(dosTime, 10);
    header.writeUInt16LE(dosDate, 12);
    // crc and sizes (14..25) stay zero: they follow in the data descriptor.
    header.writeUInt16LE(nameBytes.length, 26);
    header.writeUInt16LE(0, 28);
    await this.write(Buffer.concat([header, nameBytes]));

    const deflater = createDeflateRaw({ level: this.level });
    const drained = (async () => {
      for await (const chunk of deflater as AsyncIterable<Buffer>) {
        entry.compressedSize += chunk.length;
        await this.write(chunk);
      }
    })();
    const feed = async (chunk: Buffer | string) => {
      const bytes = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
      if (bytes.length === 0) return;
      entry.crc = crc32(bytes, entry.crc);
      entry.size += bytes.length;
      if (!deflater.write(bytes)) await once(deflater, "drain");
    };
    try {
      if (typeof source === "string" || Buffer.isBuffer(source)) await feed(source);
      else for await (const chunk of source) await feed(chunk);
    } catch (error) {
      deflater.destroy(error as Error);
      await drained.catch(() => {});
      throw error;
    }
    deflater.end();
    await drained;

    if (entry.size > MAX_U32 || entry.compressedSize > MAX_U32) throw new Error(`ZIP entry ${name} is larger than 4 GiB (no ZIP64 support).`);
    const descriptor = Buffer.alloc(16);
    descriptor.writeUInt32LE(DATA_DESCRIPTOR, 0);
    descriptor.writeUInt32LE(entry.crc >>> 0, 4);
    descriptor.writeUInt32LE(entry.compressedSize, 8);
    descriptor.writeUInt32LE(entry.size, 12);
    await this.write(descriptor);
    this.entries.push(entry);
  }

  /** Writes the central directory and closes the file. */
  async close(): Promise<{ bytes: number; entries: number }> {
    if (this.closed) throw new Error("The ZIP archive is already closed.");
    this.closed = true;
    try {
      const directoryOffset = this.offset;
      for (const entry of this.entries) {
        const header = Buffer.alloc(46);
        header.writeUInt32LE(CENTRAL_HEADER, 0);
        header.writeUInt16LE(VERSION_MADE_BY, 4);
        header.writeUInt16LE(VERSION_NEEDED, 6);
        header.writeUInt16LE(FLAG_DATA_DESCRIPTOR | FLAG_UTF8, 8);
        header.writeUInt16LE(METHOD_DEFLATE, 10);
        header.writeUInt16LE(entry.dosTime, 12);
        header.writeUInt16LE(entry.dosDate, 14);
        header.writeUInt32LE(entry.crc >>> 0, 16);
        header.writeUInt32LE(entry.compressedSize, 20);
        header.writeUInt32LE(entry.size, 24);
        header.writeUInt16LE(entry.name.length, 28);
        // extra (30), comment (32), disk (34), internal attributes (36) stay zero.
        header.writeUInt32LE(REGULAR_FILE_0644, 38);
        header.writeUInt32LE(entry.offset, 42);
        await this.write(Buffer.concat([header, entry.name]));
      }
      const directorySize = this.offset - directoryOffset;
      if (this.offset > MAX_U32) throw new Error("The snapshot ZIP is larger than 4 GiB (no ZIP64 support).");
      const end = Buffer.alloc(22);
      end.writeUInt32LE(END_OF_CENTRAL_DIRECTORY, 0);
      end.writeUInt16LE(this.entries.length, 8);
      end.writeUInt16LE(this.entries.length, 10);
      end.writeUInt32LE(directorySize, 12);
      end.writeUInt32LE(directoryOffset, 16);
      await this.write(end);
      return { bytes: this.offset, entries: this.entries.length };
    } finally {
      await this.file.close();
    }
  }

  /** Closes the file without finishing the archive (after a failure). */
  async abort(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.file.close();
  }

  private async write(bytes: Buffer): Promise<void> {
    let written = 0;
    while (written < bytes.length) {
      const { bytesWritten } = await this.file.write(bytes, written, bytes.length - written, this.offset + written);
      written += bytesWritten;
    }
    this.offset += bytes.length;
  }
}
