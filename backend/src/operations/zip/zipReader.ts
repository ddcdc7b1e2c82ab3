// Reads a ZIP archive from disk: the central directory (ZIP64 end records
// included, as Convex Cloud's async_zip writes them for large snapshots) and
// each entry as a stream, inflated when deflated. Entries are read by their
// central-directory sizes, so data descriptors need no special handling.

import { createReadStream } from "node:fs";
import type { FileHandle } from "node:fs/promises";
import { open } from "node:fs/promises";
import { Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { createInflateRaw } from "node:zlib";

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

export class ZipFormatError extends Error {
  constructor(message: string) {
    super(`Not a valid ZIP file: ${message}`);
    this.name = "ZipFormatError";
  }
}

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_END = 0x06064b50;
const CENTRAL_HEADER = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;

async function readAt(file: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await file.read(buffer, done, length - done, position + done);
    if (bytesRead === 0) throw new ZipFormatError("unexpected end of file");
    done += bytesRead;
  }
  return buffer;
}

function u64(buffer: Buffer, offset: number): number {
  const value = buffer.readBigUInt64LE(offset);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipFormatError("a size is too large");
  return Number(value);
}

export class ZipReader {
  private constructor(
    readonly path: string,
    readonly entries: ZipEntry[],
  ) {}

  static async open(path: string): Promise<ZipReader> {
    const file = await open(path, "r");
    try {
      const { size } = await file.stat();
      if (size < 22) throw new ZipFormatError("too short");
      const tailLength = Math.min(size, 22 + 0xffff);
      const tail = await readAt(file, size - tailLength, tailLength);
      let eocd = -1;
      for (let i = tail.length - 22; i >= 0; i--) {
        if (tail.readUInt32LE(i) === END_OF_CENTRAL_DIRECTORY) {
          eocd = i;
          break;
        }
      }
      if (eocd < 0) throw new ZipFormatError("no end of central directory record");
      let count = tail.readUInt16LE(eocd + 10);
      let directorySize = tail.readUInt32LE(eocd + 12);
      let directoryOffset = tail.readUInt32LE(eocd + 16);
      const locatorAt = eocd - 20;
      if (locatorAt >= 0 && tail.readUInt32LE(locatorAt) === ZIP64_LOCATOR) {
        const zip64EndOffset = u64(tail, locatorAt + 8);
        const zip64End = await readAt(file, zip64EndOffset, 56);
        if (zip64End.readUInt32LE(0) !== ZIP64_END) throw new ZipFormatError("bad ZIP64 end record");
        count = u64(zip64End, 32);
        directorySize = u64(zip64End, 40);
        directoryOffset = u64(zip64End, 48);
      }
      const directory = await readAt(file, directoryOffset, directorySize);
      const entries: ZipEntry[] = [];
      let at = 0;
      for (let i = 0; i < count; i++) {
        if (directory.readUInt32LE(at) !== CENTRAL_HEADER) throw new ZipFormatError("bad central directory entry");
        const method = directory.readUInt16LE(at + 10);
        let compressedSize = directory.readUInt32LE(at + 20);
        let uncompressed = directory.readUInt32LE(at + 24);
        const nameLength = directory.readUInt16LE(at + 28);
        const extraLength = directory.readUInt16LE(at + 30);
        const commentLength = directory.readUInt16LE(at + 32);
        let localHeaderOffset = directory.readUInt32LE(at + 42);
        const name = directory.toString("utf8", at + 46, at + 46 + nameLength);
        // ZIP64 extended information: only the fields saturated above are present, in order.
        let extra = at + 46 + nameLength;
        const extraEnd = extra + extraLength;
        while (extra + 4 <= extraEnd) {
          const id = directory.readUInt16LE(extra);
          const length = directory.readUInt16LE(extra + 2);
          if (id === 0x0001) {
            let p = extra + 4;
            if (uncompressed === 0xffffffff) {
              uncompressed = u64(directory, p);
              p += 8;
            }
            if (compressedSize === 0xffffffff) {
              compressedSize = u64(directory, p);
              p += 8;
            }
            if (localHeaderOffset === 0xffffffff) localHeaderOffset = u64(directory, p);
          }
          extra += 4 + length;
        }
        entries.push({ name, method, compressedSize, size: uncompressed, localHeaderOffset });
        at = extraEnd + commentLength;
      }
      return new ZipReader(path, entries);
    } finally {
      await file.close();
    }
  }

  /** The entry's uncompressed bytes as a stream. */
  async stream(entry: ZipEntry): Promise<Readable> {
    const file = await open(this.path, "r");
    let dataStart: number;
    try {
      const header = await readAt(file, entry.localHeaderOffset, 30);
      if (header.readUInt32LE(0) !== LOCAL_HEADER) throw new ZipFormatError(`bad local header for ${entry.name}`);
      dataStart = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
    } finally {
      await file.close();
    }
    if (entry.compressedSize === 0) return Readable.from([]);
    const raw = createReadStream(this.path, { start: dataStart, end: dataStart + entry.compressedSize - 1, highWaterMark: 1 << 20 });
    if (entry.method === 0) return raw;
    if (entry.method !== 8) throw new ZipFormatError(`entry ${entry.name} uses compression method ${entry.method}; only stored and deflated entries are supported`);
    const inflate = createInflateRaw();
    raw.on("error", (error) => inflate.destroy(error));
    return raw.pipe(inflate);
  }

  async readText(entry: ZipEntry): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of await this.stream(entry)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  }
}

/** Splits a byte stream into lines (without their "\n"), skipping blank ones. */
export async function* linesOf(stream: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  // The decoder keeps a multi-byte character split across chunks whole.
  const decoder = new StringDecoder("utf8");
  let rest = "";
  for await (const chunk of stream) {
    const text = rest + (typeof chunk === "string" ? chunk : decoder.write(chunk));
    const lines = text.split("\n");
    rest = lines.pop()!;
    for (const line of lines) if (line.trim() !== "") yield line;
  }
  rest += decoder.end();
  if (rest.trim() !== "") yield rest;
}
