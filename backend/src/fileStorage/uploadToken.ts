// Upload URLs carry a signed token naming the component the file will belong
// to and when the URL stops working (Convex's upload URLs expire after an
// hour). HMAC-SHA256 under a secret derived from the admin key: only this
// deployment can mint them, and nothing is stored per URL.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

export const UPLOAD_URL_LIFETIME_MS = 60 * 60 * 1000;

export class UploadTokenError extends Error {}

function keyFrom(secret: string): Buffer {
  return createHash("sha256").update(`sems-upload-token\0${secret}`).digest();
}

function sign(key: Buffer, payload: string): string {
  return createHmac("sha256", key).update(payload).digest("base64url");
}

export function createUploadToken(secret: string, component: string, nowMs = Date.now(), lifetimeMs = UPLOAD_URL_LIFETIME_MS): string {
  const payload = Buffer.from(JSON.stringify({ c: component, e: nowMs + lifetimeMs })).toString("base64url");
  return `${payload}.${sign(keyFrom(secret), payload)}`;
}

/** The component the token was minted for; throws UploadTokenError when forged, damaged or expired. */
export function verifyUploadToken(secret: string, token: string, nowMs = Date.now()): { component: string } {
  const [payload, signature, extra] = token.split(".");
  if (!payload || !signature || extra !== undefined) throw new UploadTokenError("The upload URL is not valid: its token is malformed.");
  const expected = Buffer.from(sign(keyFrom(secret), payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw new UploadTokenError("The upload URL is not valid: its token was not issued by this deployment.");
  }
  const { c, e } = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { c: string; e: number };
  if (nowMs > e) throw new UploadTokenError("The upload URL has expired: upload URLs are valid for 1 hour. Generate a new one.");
  return { component: c };
}
