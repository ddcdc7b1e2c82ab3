// TokenVerifier in process: a JWKS URL is fetched once and cached, fetched
// again when a token names a key id it lacks (key rotation), and the
// identity's claims are mapped as Convex maps them.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";
import { AuthenticationError } from "../../src/engine/contract.js";
import { identityFromClaims } from "../../src/auth/identity.js";
import { TokenVerifier } from "../../src/auth/tokenVerifier.js";

let server: http.Server;
let jwksUrl: string;
let served: { keys: JWK[] } = { keys: [] };
let fetches = 0;

beforeAll(async () => {
  server = http.createServer((_request, response) => {
    fetches++;
    response.setHeader("content-type", "application/json");
    response.end(JSON.stringify(served));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
});
afterAll(() => server.close());

async function keyPair(kid: string): Promise<{ privateKey: CryptoKey; jwk: JWK }> {
  const pair = await generateKeyPair("ES256", { extractable: true });
  return { privateKey: pair.privateKey, jwk: { ...(await exportJWK(pair.publicKey)), kid, alg: "ES256" } };
}

function sign(key: CryptoKey, kid: string, expSeconds = 300): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ custom: { nested: 1 } })
    .setProtectedHeader({ alg: "ES256", kid })
    .setIssuer("https://rotating.test")
    .setAudience("app")
    .setSubject("u1")
    .setIssuedAt(now)
    .setExpirationTime(now + expSeconds)
    .sign(key);
}

describe("TokenVerifier", () => {
  test("caches the JWKS, and refetches it when a token names an unknown key id", async () => {
    const first = await keyPair("k1");
    const second = await keyPair("k2");
    served = { keys: [first.jwk] };
    const verifier = new TokenVerifier();
    verifier.setProviders([{ type: "customJwt", issuer: "https://rotating.test", applicationID: "app", algorithm: "ES256", jwks: jwksUrl }]);

    const state = await verifier.verify(await sign(first.privateKey, "k1"));
    expect(state.kind).toBe("user");
    await verifier.verify(await sign(first.privateKey, "k1"));
    expect(fetches).toBe(1);

    // The provider rotates to k2; past jose's cooldown, the unknown kid triggers one refetch.
    served = { keys: [first.jwk, second.jwk] };
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const rotated = await verifier.verify(await sign(second.privateKey, "k2"));
    expect(rotated.kind === "user" && rotated.identity.subject).toBe("u1");
    expect(fetches).toBe(2);
  });

  test("sets expiresAtMs from exp, and refuses a token signed with the wrong algorithm", async () => {
    const key = await keyPair("k3");
    served = { keys: [key.jwk] };
    // Another URL: its own cache entry, fetched fresh.
    const verifier = new TokenVerifier();
    verifier.setProviders([{ type: "customJwt", issuer: "https://rotating.test", applicationID: "app", algorithm: "RS256", jwks: `${jwksUrl}?set=2` }]);
    await expect(verifier.verify(await sign(key.privateKey, "k3"))).rejects.toThrow(AuthenticationError);
    await expect(verifier.verify(await sign(key.privateKey, "k3"))).rejects.toThrow(/expects RS256/);

    verifier.setProviders([{ type: "customJwt", issuer: "https://rotating.test", applicationID: "app", algorithm: "ES256", jwks: `${jwksUrl}?set=2` }]);
    const before = Date.now();
    const state = await verifier.verify(await sign(key.privateKey, "k3", 60));
    expect(state.kind).toBe("user");
    if (state.kind !== "user") return;
    expect(state.expiresAtMs).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 59_000);
    expect(state.expiresAtMs).toBeLessThanOrEqual(before + 61_000);
    expect(state.identity.custom).toEqual({ nested: 1 });
  });

  test("a garbage token and an empty provider list are refused", async () => {
    const verifier = new TokenVerifier();
    await expect(verifier.verify("not-a-jwt")).rejects.toThrow(/Could not parse/);
    const key = await keyPair("k1");
    await expect(verifier.verify(await sign(key.privateKey, "k1"))).rejects.toThrow(/No auth provider found/);
  });
});

describe("identityFromClaims", () => {
  test("maps OIDC claims to camelCase, drops token claims, passes custom claims", () => {
    expect(
      identityFromClaims({
        iss: "https://i.test",
        sub: "s",
        aud: "a",
        exp: 1,
        iat: 1,
        nbf: 1,
        jti: "j",
        email_verified: "true",
        address: { locality: "Town" },
        updated_at: 0,
        "https://claims.test/role": "admin",
      }),
    ).toEqual({
      tokenIdentifier: "https://i.test|s",
      subject: "s",
      issuer: "https://i.test",
      emailVerified: true,
      address: '{"locality":"Town"}',
      updatedAt: "1970-01-01T00:00:00.000Z",
      "https://claims.test/role": "admin",
    });
  });
});
