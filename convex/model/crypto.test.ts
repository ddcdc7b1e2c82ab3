import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  decryptField,
  encryptField,
  encryptedFieldKeyId,
  ENCRYPTION_KEYS_ENV,
  generateEncryptionKeySpec,
  isEncryptedField,
  parseKeySpec,
} from "./crypto";

// The deployment environment as tests set it: `env` of _generated/server is this same object,
// typed read-only from convex/convex.config.ts.
// eslint-disable-next-line @convex-dev/no-process-env -- test setup, not deployed code
const env: Record<string, string | undefined> = process.env;

const OLD_KEY = generateEncryptionKeySpec("k2024");
const NEW_KEY = generateEncryptionKeySpec("k2025");
let saved: string | undefined;

beforeEach(() => {
  saved = env[ENCRYPTION_KEYS_ENV];
  env[ENCRYPTION_KEYS_ENV] = OLD_KEY;
});
afterEach(() => {
  if (saved === undefined) delete env[ENCRYPTION_KEYS_ENV];
  else env[ENCRYPTION_KEYS_ENV] = saved;
});

/** Flip one bit of the base64url character at `index` of a segment. */
function tamper(segment: string, index: number): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const flipped = alphabet[alphabet.indexOf(segment[index]) ^ 1];
  return segment.slice(0, index) + flipped + segment.slice(index + 1);
}

describe("field encryption (D14)", () => {
  it("round-trips text, including empty and non-ASCII", async () => {
    for (const text of ["2011-04-17", "", "Asthma; epinephrine auto-injector — niño ñ 😀", "x".repeat(10_000)]) {
      const sealed = await encryptField(text);
      expect(sealed).not.toContain(text || "\u0000");
      expect(await decryptField(sealed)).toBe(text);
    }
  });

  it("writes v1.<keyId>.<nonce>.<ciphertext+tag> with a 12-byte nonce and 16-byte tag", async () => {
    const sealed = await encryptField("2011-04-17");
    const [version, keyId, nonce, body] = sealed.split(".");
    expect(version).toBe("v1");
    expect(keyId).toBe("k2024");
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{16}$/); // 12 bytes = 16 base64url characters
    expect(body).toMatch(/^[A-Za-z0-9_-]+$/);
    // 10 bytes of plaintext + 16 bytes of tag = 26 bytes → ⌈26·4/3⌉ = 35 characters unpadded
    expect(body).toHaveLength(35);
    expect(isEncryptedField(sealed)).toBe(true);
    expect(encryptedFieldKeyId(sealed)).toBe("k2024");
    expect(isEncryptedField("2011-04-17")).toBe(false);
  });

  it("uses a fresh nonce for every value", async () => {
    const sealed = await Promise.all(Array.from({ length: 200 }, () => encryptField("same plaintext")));
    expect(new Set(sealed.map((s) => s.split(".")[2])).size).toBe(200);
    expect(new Set(sealed).size).toBe(200);
  });

  it("detects tampering with the ciphertext, the nonce or the key id", async () => {
    const sealed = await encryptField("Seizure disorder");
    const [version, keyId, nonce, body] = sealed.split(".");
    await expect(decryptField([version, keyId, nonce, tamper(body, 3)].join("."))).rejects.toThrow(/altered/);
    await expect(decryptField([version, keyId, tamper(nonce, 0), body].join("."))).rejects.toThrow(/altered/);
    await expect(decryptField([version, keyId, nonce, body.slice(0, -2)].join("."))).rejects.toThrow(/Field decryption failed/);
    // the same key registered under another id: the key id is authenticated data
    env[ENCRYPTION_KEYS_ENV] = `${OLD_KEY},alias:${OLD_KEY.split(":")[1]}`;
    await expect(decryptField(["v1", "alias", nonce, body].join("."))).rejects.toThrow(/altered/);
  });

  it("rotates: values under the old key still decrypt after a new key is put first", async () => {
    const underOld = await encryptField("2010-12-01");
    env[ENCRYPTION_KEYS_ENV] = `${NEW_KEY},${OLD_KEY}`;
    const underNew = await encryptField("2010-12-01");
    expect(encryptedFieldKeyId(underNew)).toBe("k2025");
    expect(await decryptField(underOld)).toBe("2010-12-01");
    expect(await decryptField(underNew)).toBe("2010-12-01");
    // once the old key is removed, its values no longer open
    env[ENCRYPTION_KEYS_ENV] = NEW_KEY;
    await expect(decryptField(underOld)).rejects.toThrow('unknown key id "k2024"');
  });

  it("opens a value again only with the key of the current variable (opened values are not kept across key changes)", async () => {
    const sealed = await encryptField("2012-02-29");
    expect(await decryptField(sealed)).toBe("2012-02-29");
    expect(await decryptField(sealed)).toBe("2012-02-29");
    // the same key id, now bound to another key: the earlier opening must not answer
    env[ENCRYPTION_KEYS_ENV] = `k2024:${NEW_KEY.split(":")[1]}`;
    await expect(decryptField(sealed)).rejects.toThrow(/altered/);
    env[ENCRYPTION_KEYS_ENV] = OLD_KEY;
    expect(await decryptField(sealed)).toBe("2012-02-29");
  });

  it("refuses an unknown key id and values that are not ciphertext", async () => {
    const sealed = await encryptField("x");
    await expect(decryptField(sealed.replace("v1.k2024.", "v1.k1999."))).rejects.toThrow(/unknown key id "k1999"/);
    await expect(decryptField("2011-04-17")).rejects.toThrow(/not a v1 encrypted value/);
    await expect(decryptField("v1.k2024.short.body")).rejects.toThrow(/malformed/);
  });

  it("explains a missing or malformed variable without echoing key material", async () => {
    delete env[ENCRYPTION_KEYS_ENV];
    await expect(encryptField("x")).rejects.toThrow(/SEMS_ENCRYPTION_KEYS is not set/);
    const secret = OLD_KEY.split(":")[1];
    for (const bad of [secret, `k1:${secret.slice(0, 20)}`, `bad id:${secret}`, `k1:${secret},k1:${secret}`, `k1:not base64!`]) {
      env[ENCRYPTION_KEYS_ENV] = bad;
      const error = await encryptField("x").then(
        () => null,
        (e: unknown) => e as Error,
      );
      expect(error?.message).toMatch(/SEMS_ENCRYPTION_KEYS entry/);
      expect(error?.message).not.toContain(secret.slice(0, 12));
    }
    // fixing the variable works again (a failed key ring is not cached)
    env[ENCRYPTION_KEYS_ENV] = OLD_KEY;
    expect(await decryptField(await encryptField("ok"))).toBe("ok");
  });

  it("generates 32-byte keys with unique ids and values", () => {
    const spec = generateEncryptionKeySpec();
    const [{ keyId, key }] = parseKeySpec(spec);
    expect(keyId).toMatch(/^k\d{12}$/);
    expect(key).toHaveLength(32);
    expect(generateEncryptionKeySpec("a").split(":")[1]).not.toBe(generateEncryptionKeySpec("a").split(":")[1]);
    expect(() => generateEncryptionKeySpec("no.dots")).toThrow(/Invalid key id/);
  });
});
