// The deployment's own signing key: `ctx.auth.signJwt` (mutations) signs ES256
// JWTs with it, and `<CONVEX_CLOUD_URL>/.well-known/jwks.json` publishes its
// public half so anyone can verify them. The key is made once, on the first
// start, and kept in the database's meta table so tokens outlive restarts.
import { createHash, generateKeyPairSync, type JsonWebKey } from "node:crypto";
import { importJWK, SignJWT, type JWK } from "jose";
import type { ApiRoute, JSONValue } from "../engine/contract.js";
import type { DocumentStore } from "../storage/documentStore.js";

const META_KEY = "auth:deploymentSigningKey";
const MAX_EXPIRES_IN_SECONDS = 60 * 60;

export class DeploymentKey {
  private constructor(
    private readonly privateJwk: JWK,
    readonly publicJwk: JWK,
  ) {}

  /** Loads the key from `store`, creating it on first use. Call outside any open transaction. */
  static loadOrCreate(store: DocumentStore): DeploymentKey {
    let stored = store.getMeta(META_KEY) as string | undefined;
    if (stored === undefined) {
      const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
      stored = JSON.stringify(privateKey.export({ format: "jwk" }));
      store.setMeta(META_KEY, stored);
    }
    const privateJwk = JSON.parse(stored) as JsonWebKey as JWK;
    const kid = createHash("sha256").update(`${privateJwk.x}.${privateJwk.y}`).digest("base64url").slice(0, 16);
    const publicJwk: JWK = { kty: "EC", crv: privateJwk.crv, x: privateJwk.x, y: privateJwk.y, kid, alg: "ES256", use: "sig" };
    return new DeploymentKey({ ...privateJwk, kid, alg: "ES256" }, publicJwk);
  }

  /** `1.0/signJwt`: validates the options as Convex documents them, then signs. */
  async sign(options: { claims?: unknown; expiresInSeconds?: unknown }, issuer: string): Promise<string> {
    const expiresIn = options.expiresInSeconds;
    if (typeof expiresIn !== "number" || !Number.isFinite(expiresIn) || expiresIn < 1 || expiresIn > MAX_EXPIRES_IN_SECONDS) {
      throw new Error(`signJwt: expiresInSeconds must be a number between 1 and ${MAX_EXPIRES_IN_SECONDS} (one hour), got ${JSON.stringify(expiresIn)}.`);
    }
    const claims = (options.claims ?? {}) as Record<string, JSONValue>;
    if (claims === null || typeof claims !== "object" || Array.isArray(claims)) throw new Error("signJwt: claims must be an object.");
    for (const name of Object.keys(claims)) {
      if (["iss", "iat", "exp", "nbf"].includes(name) || /^(convex|cvx)/i.test(name)) {
        throw new Error(`signJwt: the claim \`${name}\` is reserved: Convex sets iss, iat and exp, and names starting with "convex" or "cvx" (and nbf) may not be set.`);
      }
    }
    const now = Math.floor(Date.now() / 1000);
    const key = await importJWK(this.privateJwk, "ES256");
    return new SignJWT(claims as Record<string, unknown>)
      .setProtectedHeader({ alg: "ES256", kid: this.publicJwk.kid, typ: "JWT" })
      .setIssuer(issuer)
      .setIssuedAt(now)
      .setExpirationTime(now + Math.floor(expiresIn))
      .sign(key);
  }

  jwks(): { keys: JWK[] } {
    return { keys: [this.publicJwk] };
  }
}

/** `iss` of a token signed inside `component`: the cloud URL, or `<cloud URL>/components/<path>`. */
export function signJwtIssuer(cloudUrl: string, component: string): string {
  return component === "" ? cloudUrl : `${cloudUrl}/components/${component}`;
}

/** `GET /.well-known/jwks.json` and an OIDC discovery document on the API port (the issuer's origin). */
export function deploymentKeyRoutes(key: DeploymentKey, cloudUrl: () => string): ApiRoute[] {
  const json = (body: unknown) => (_request: unknown, response: import("node:http").ServerResponse) => {
    response.writeHead(200, { "content-type": "application/json", "access-control-allow-origin": "*", "cache-control": "public, max-age=300" });
    response.end(JSON.stringify(typeof body === "function" ? (body as () => unknown)() : body));
  };
  return [
    { method: "GET", path: "/.well-known/jwks.json", handle: json(key.jwks()) },
    {
      method: "GET",
      path: "/.well-known/openid-configuration",
      handle: json(() => ({ issuer: cloudUrl(), jwks_uri: `${cloudUrl()}/.well-known/jwks.json`, id_token_signing_alg_values_supported: ["ES256"] })),
    },
  ];
}
