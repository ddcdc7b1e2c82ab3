// Where a provider's public keys come from: a `jwks` URL (fetched, cached, and
// fetched again when a token names a key id the cache lacks: jose's remote
// key set does both), or a `data:` URI holding the JWKS itself. The URL may be
// this very backend's own HTTP action (Better Auth's /api/auth/convex/jwks):
// the fetch happens on first use, after both ports listen, and the HTTP
// action runs on a reader connection, so nothing waits on itself.
import { createLocalJWKSet, createRemoteJWKSet, type JSONWebKeySet, type JWTVerifyGetKey } from "jose";

const cache = new Map<string, JWTVerifyGetKey>();

export function keySetFor(jwks: string): JWTVerifyGetKey {
  let keySet = cache.get(jwks);
  if (keySet === undefined) {
    keySet = jwks.startsWith("data:") ? createLocalJWKSet(parseDataUri(jwks)) : createRemoteJWKSet(new URL(jwks), { cooldownDuration: 1_000, cacheMaxAge: 10 * 60_000 });
    cache.set(jwks, keySet);
  }
  return keySet;
}

/** `data:text/plain;charset=utf-8;base64,<base64 JWKS>` or the URL-encoded JSON form. */
export function parseDataUri(uri: string): JSONWebKeySet {
  const comma = uri.indexOf(",");
  if (comma === -1) throw new Error("The jwks data: URI has no ',' before its data.");
  const meta = uri.slice(5, comma);
  const data = uri.slice(comma + 1);
  const text = meta.split(";").includes("base64") ? Buffer.from(data, "base64").toString("utf8") : decodeURIComponent(data);
  return JSON.parse(text) as JSONWebKeySet;
}

/** OIDC discovery: `<domain>/.well-known/openid-configuration` → its issuer and jwks_uri. */
const discovered = new Map<string, Promise<{ issuer: string; jwksUri: string }>>();

export function discoverOidc(domain: string): Promise<{ issuer: string; jwksUri: string }> {
  let found = discovered.get(domain);
  if (found === undefined) {
    found = (async () => {
      const response = await fetch(`${domain.replace(/\/$/, "")}/.well-known/openid-configuration`);
      if (!response.ok) throw new Error(`OIDC discovery at ${domain} answered ${response.status}.`);
      const config = (await response.json()) as { issuer?: unknown; jwks_uri?: unknown };
      if (typeof config.jwks_uri !== "string") throw new Error(`OIDC discovery at ${domain} returned no jwks_uri.`);
      return { issuer: typeof config.issuer === "string" ? config.issuer : domain, jwksUri: config.jwks_uri };
    })();
    // A failed discovery is retried on the next token rather than cached.
    found.catch(() => discovered.delete(domain));
    discovered.set(domain, found);
  }
  return found;
}
