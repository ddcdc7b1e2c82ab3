/**
 * Convex document ids, byte-compatible with Convex Cloud so that exports and
 * imports move between the two backends unchanged.
 *
 * Layout (learned from convex-backend `crates/value/src/id_v6.rs`):
 *
 *   bytes  = varint(tableNumber) ‖ internalId (16 bytes) ‖ footer (2 bytes, little endian)
 *   footer = fletcher16(varint ‖ internalId) XOR version   (version is 0)
 *   id     = base32(bytes) with Crockford's lowercase alphabet, no padding
 *
 * The varint is LEB128 (seven bits per byte, least significant first), so a
 * table number takes one to five bytes and an id is 31 to 37 characters.
 */
import { randomBytesFromPool } from "./randomPool.js";

const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
const DECODE: Int8Array = (() => {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < ALPHABET.length; i++) table[ALPHABET.charCodeAt(i)] = i;
  return table;
})();

export const INTERNAL_ID_LENGTH = 16;
const FOOTER_LENGTH = 2;
const ID_VERSION = 0;
const MAX_TABLE_NUMBER = 0xffff_ffff; // table numbers are nonzero u32s

/** Characters in the base32 text of `byteLength` bytes (no padding). */
function base32Length(byteLength: number): number {
  const tail = [0, 2, 4, 5, 7][byteLength % 5]!;
  return Math.floor(byteLength / 5) * 8 + tail;
}

const MIN_ID_LENGTH = base32Length(1 + INTERNAL_ID_LENGTH + FOOTER_LENGTH); // 31
const MAX_ID_LENGTH = base32Length(5 + INTERNAL_ID_LENGTH + FOOTER_LENGTH); // 37

function base32Encode(bytes: Uint8Array): string {
  let out = "";
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/** Decodes base32 text; leftover bits are dropped (the caller re-encodes to reject non-canonical text). */
function base32Decode(text: string): Uint8Array | null {
  const out = new Uint8Array(Math.floor((text.length * 5) / 8));
  let buffer = 0;
  let bits = 0;
  let pos = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const value = code < 128 ? DECODE[code]! : -1;
    if (value < 0) return null;
    buffer = ((buffer << 5) | value) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out[pos++] = (buffer >>> (bits - 8)) & 0xff;
      bits -= 8;
    }
  }
  return out;
}

function fletcher16(bytes: Uint8Array): number {
  let c0 = 0;
  let c1 = 0;
  for (const byte of bytes) {
    c0 = (c0 + byte) & 0xff;
    c1 = (c1 + c0) & 0xff;
  }
  return (c1 << 8) | c0;
}

function varintEncode(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

export function encodeDocumentId(tableNumber: number, internalId: Uint8Array): string {
  if (!Number.isInteger(tableNumber) || tableNumber < 1 || tableNumber > MAX_TABLE_NUMBER) {
    throw new Error(`Invalid table number ${tableNumber}: must be an integer in 1..2^32-1`);
  }
  if (internalId.length !== INTERNAL_ID_LENGTH) {
    throw new Error(`Invalid internal id: expected ${INTERNAL_ID_LENGTH} bytes, got ${internalId.length}`);
  }
  const varint = varintEncode(tableNumber);
  const bytes = new Uint8Array(varint.length + INTERNAL_ID_LENGTH + FOOTER_LENGTH);
  bytes.set(varint, 0);
  bytes.set(internalId, varint.length);
  const bodyLength = varint.length + INTERNAL_ID_LENGTH;
  const footer = fletcher16(bytes.subarray(0, bodyLength)) ^ ID_VERSION;
  bytes[bodyLength] = footer & 0xff;
  bytes[bodyLength + 1] = footer >>> 8;
  return base32Encode(bytes);
}

export function decodeDocumentId(id: string): { tableNumber: number; internalId: Uint8Array } | null {
  // Length first, so that a long garbage string costs nothing to reject.
  if (typeof id !== "string" || id.length < MIN_ID_LENGTH || id.length > MAX_ID_LENGTH) return null;
  const bytes = base32Decode(id);
  if (bytes === null) return null;

  let tableNumber = 0;
  let pos = 0;
  for (;;) {
    if (pos >= 5 || pos >= bytes.length) return null; // too large for a u32, or truncated
    const byte = bytes[pos]!;
    tableNumber += (byte & 0x7f) * 2 ** (7 * pos);
    pos++;
    if (byte < 0x80) break;
  }
  if (tableNumber === 0 || tableNumber > MAX_TABLE_NUMBER) return null;
  if (bytes.length !== pos + INTERNAL_ID_LENGTH + FOOTER_LENGTH) return null;

  const internalId = bytes.slice(pos, pos + INTERNAL_ID_LENGTH);
  const bodyLength = pos + INTERNAL_ID_LENGTH;
  const footer = bytes[bodyLength]! | (bytes[bodyLength + 1]! << 8);
  if (footer !== (fletcher16(bytes.subarray(0, bodyLength)) ^ ID_VERSION)) return null;

  // Convex accepts only the canonical text of an id (one id, one string):
  // re-encoding catches non-canonical varints and stray trailing bits.
  if (encodeDocumentId(tableNumber, internalId) !== id) return null;
  return { tableNumber, internalId };
}

export function newInternalId(): Uint8Array {
  return randomBytesFromPool(INTERNAL_ID_LENGTH);
}

export function isDocumentIdString(s: string): boolean {
  return decodeDocumentId(s) !== null;
}

/** The table number of an id string, or null if it is not a document id. */
export function tableNumberOfId(id: string): number | null {
  return decodeDocumentId(id)?.tableNumber ?? null;
}
