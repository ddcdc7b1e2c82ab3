/**
 * Field-level encryption of student PII (D14): AES-256-GCM through Web Crypto (`crypto.subtle`,
 * present in the Convex runtime and in Node 20), a fresh random 12-byte nonce per value, and the
 * key id inside every ciphertext so keys can rotate.
 *
 * Ciphertext format:  v1.<keyId>.<base64url nonce>.<base64url ciphertext+tag>
 * The prefix "v1.<keyId>" is also the GCM additional authenticated data, so changing the key id
 * or version of a stored value fails authentication instead of decrypting under another key.
 *
 * Keys: `SEMS_ENCRYPTION_KEYS` = comma-separated `keyId:base64key` (32-byte keys, standard or
 * url-safe base64). The first entry encrypts; every entry decrypts, so rotation is: put the new
 * key first, keep the old ones until every value has been re-encrypted.
 *
 * Errors never contain plaintext, key material or ciphertext bodies.
 */
// `env` is the deployment's environment (process.env, read when a value is encrypted or decrypted,
// so tests and key rotation see changes without a restart).
import { env } from "../_generated/server";

const FORMAT_VERSION = "v1";
const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = /^[A-Za-z0-9_-]{1,64}$/;
export const ENCRYPTION_KEYS_ENV = "SEMS_ENCRYPTION_KEYS";

interface KeyRing {
  activeKeyId: string;
  keys: Map<string, CryptoKey>;
}

// Imported keys, cached per value of the variable (importKey is async and not free).
let cachedSpec: string | undefined;
let cachedRing: Promise<KeyRing> | undefined;

// Opened values by ciphertext, for the key ring of `cachedSpec` only (emptied when the variable
// changes, so a removed key stops opening its values at once). A WebCrypto decrypt costs far more
// than the rest of a compliance row, and dashboards open every listed student's date of birth on
// every run. Bounded; in this process's memory only, like the keys themselves (D14 is about what
// reaches the database, logs and exports).
const OPENED_CACHE_LIMIT = 20_000;
const opened = new Map<string, string>();

// ---- base64url without padding; accepts standard base64 and padding on input ----

function bytesToBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function base64ToBytes(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(text)) return null;
  const standard = text.replace(/-/g, "+").replace(/_/g, "/").replace(/=+$/, "");
  if (standard.length % 4 === 1) return null;
  const padded = standard + "=".repeat((4 - (standard.length % 4)) % 4);
  try {
    const binary = atob(padded);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    return null;
  }
}

// ---- keys ----

function readKeySpec(): string {
  const spec = env[ENCRYPTION_KEYS_ENV];
  if (spec === undefined || spec.trim() === "") {
    throw new Error(
      `${ENCRYPTION_KEYS_ENV} is not set: field encryption (D14) needs at least one key, ` +
        `written keyId:base64key (a 32-byte key), e.g. from generateEncryptionKeySpec().`,
    );
  }
  return spec;
}

/** Parses the variable; the error names the entry by position, never by content. */
export function parseKeySpec(spec: string): { keyId: string; key: Uint8Array<ArrayBuffer> }[] {
  const entries = spec.split(",").map((entry) => entry.trim());
  const seen = new Set<string>();
  return entries.map((entry, index) => {
    const where = `${ENCRYPTION_KEYS_ENV} entry ${index + 1} of ${entries.length}`;
    const colon = entry.indexOf(":");
    if (colon <= 0) throw new Error(`${where} is malformed: expected keyId:base64key`);
    const keyId = entry.slice(0, colon);
    if (!KEY_ID.test(keyId)) throw new Error(`${where} is malformed: a key id is 1–64 letters, digits, "_" or "-"`);
    if (seen.has(keyId)) throw new Error(`${where} repeats key id "${keyId}"`);
    seen.add(keyId);
    const key = base64ToBytes(entry.slice(colon + 1));
    if (key === null || key.length !== KEY_BYTES) {
      throw new Error(`${where} (key id "${keyId}") is malformed: the key must be ${KEY_BYTES} bytes in base64`);
    }
    return { keyId, key };
  });
}

async function buildRing(spec: string): Promise<KeyRing> {
  const parsed = parseKeySpec(spec);
  const keys = new Map<string, CryptoKey>();
  for (const { keyId, key } of parsed) {
    keys.set(keyId, await crypto.subtle.importKey("raw", key, { name: "AES-GCM" }, false, ["encrypt", "decrypt"]));
  }
  return { activeKeyId: parsed[0].keyId, keys };
}

function keyRing(): Promise<KeyRing> {
  const spec = readKeySpec();
  if (spec !== cachedSpec || cachedRing === undefined) {
    opened.clear();
    cachedSpec = spec;
    cachedRing = buildRing(spec);
    // A bad variable must not stay cached as a rejected promise after it is fixed.
    cachedRing.catch(() => {
      if (cachedSpec === spec) {
        cachedSpec = undefined;
        cachedRing = undefined;
      }
    });
  }
  return cachedRing;
}

function additionalData(keyId: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(`${FORMAT_VERSION}.${keyId}`);
}

// ---- public API ----

export async function encryptField(plaintext: string): Promise<string> {
  const ring = await keyRing();
  const key = ring.keys.get(ring.activeKeyId) as CryptoKey;
  const nonce = crypto.getRandomValues(new Uint8Array(NONCE_BYTES));
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv: nonce, additionalData: additionalData(ring.activeKeyId), tagLength: TAG_BYTES * 8 },
    key,
    new TextEncoder().encode(plaintext),
  );
  return [FORMAT_VERSION, ring.activeKeyId, bytesToBase64Url(nonce), bytesToBase64Url(new Uint8Array(sealed))].join(".");
}

export async function decryptField(ciphertext: string): Promise<string> {
  const parts = ciphertext.split(".");
  if (parts.length !== 4 || parts[0] !== FORMAT_VERSION) {
    throw new Error(`Field decryption failed: not a ${FORMAT_VERSION} encrypted value`);
  }
  const [, keyId, nonceText, sealedText] = parts;
  const nonce = base64ToBytes(nonceText);
  const sealed = base64ToBytes(sealedText);
  if (!KEY_ID.test(keyId) || nonce === null || nonce.length !== NONCE_BYTES || sealed === null || sealed.length < TAG_BYTES) {
    throw new Error(`Field decryption failed: malformed ${FORMAT_VERSION} encrypted value`);
  }
  const ring = await keyRing();
  const key = ring.keys.get(keyId);
  if (!key) {
    throw new Error(`Field decryption failed: unknown key id "${keyId}"; add that key to ${ENCRYPTION_KEYS_ENV}`);
  }
  const known = opened.get(ciphertext);
  if (known !== undefined) return known;
  let plaintextBytes: ArrayBuffer;
  try {
    plaintextBytes = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: nonce, additionalData: additionalData(keyId), tagLength: TAG_BYTES * 8 },
      key,
      sealed,
    );
  } catch {
    throw new Error(`Field decryption failed: the value was altered or key "${keyId}" is not the key it was encrypted with`);
  }
  const plaintext = new TextDecoder().decode(plaintextBytes);
  if (opened.size >= OPENED_CACHE_LIMIT) opened.clear();
  opened.set(ciphertext, plaintext);
  return plaintext;
}

/** Does this string look like a value produced by encryptField (format check only)? */
export function isEncryptedField(value: string): boolean {
  const parts = value.split(".");
  return parts.length === 4 && parts[0] === FORMAT_VERSION && KEY_ID.test(parts[1]);
}

/** The key id a stored value was encrypted with (to find values still under an old key). */
export function encryptedFieldKeyId(value: string): string | null {
  return isEncryptedField(value) ? value.split(".")[1] : null;
}

/**
 * A fresh `keyId:base64key` entry for SEMS_ENCRYPTION_KEYS (demo, tests, key rotation). Usable
 * from Node scripts; the key id defaults to "k" and the current UTC date and time, so keys
 * created for rotation sort by age.
 */
export function generateEncryptionKeySpec(keyId?: string): string {
  const id = keyId ?? `k${new Date().toISOString().replace(/[-:T]/g, "").slice(0, 12)}`;
  if (!KEY_ID.test(id)) throw new Error(`Invalid key id "${id}": use 1–64 letters, digits, "_" or "-"`);
  const key = crypto.getRandomValues(new Uint8Array(KEY_BYTES));
  return `${id}:${btoa(String.fromCharCode(...key))}`;
}
