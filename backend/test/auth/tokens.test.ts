// Client JWTs checked against convex/auth.config.ts providers, through a real
// backend: a customJwt provider with a data: URI JWKS, an OIDC provider found
// by discovery on a loopback server, and the deployment's own signJwt tokens
// (verified through its /.well-known/jwks.json). Tokens are made with jose.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { anyApi } from "convex/server";
import { createRemoteJWKSet, exportJWK, generateKeyPair, jwtVerify, SignJWT, type CryptoKey, type JWK } from "jose";
import { eventually, startAppBackend, type AppBackend } from "../httpActions/appBackend.js";

const ISSUER = "https://issuer.sems.test";
const AUDIENCE = "sems-test";

let app: AppBackend;
let signingKey: CryptoKey;
let otherKey: CryptoKey;
let oidcKey: CryptoKey;
let oidcServer: http.Server;
let oidcDomain: string;

async function publicJwk(key: CryptoKey, kid: string): Promise<JWK> {
  return { ...(await exportJWK(key)), kid, alg: "RS256", use: "sig" };
}

function token(key: CryptoKey, claims: Record<string, unknown>, options: { iss?: string; aud?: string; expSeconds?: number; kid?: string } = {}) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: "RS256", kid: options.kid ?? "test-key" })
    .setIssuer(options.iss ?? ISSUER)
    .setAudience(options.aud ?? AUDIENCE)
    .setSubject("user-42")
    .setIssuedAt(now)
    .setExpirationTime(now + (options.expSeconds ?? 600))
    .sign(key);
}

beforeAll(async () => {
  const pair = await generateKeyPair("RS256", { extractable: true });
  signingKey = pair.privateKey;
  otherKey = (await generateKeyPair("RS256")).privateKey;
  const oidcPair = await generateKeyPair("RS256", { extractable: true });
  oidcKey = oidcPair.privateKey;
  const jwks = { keys: [await publicJwk(pair.publicKey, "test-key")] };
  const oidcJwks = { keys: [await publicJwk(oidcPair.publicKey, "oidc-key")] };
  oidcServer = http.createServer((request, response) => {
    response.setHeader("content-type", "application/json");
    if (request.url === "/.well-known/openid-configuration") response.end(JSON.stringify({ issuer: oidcDomain, jwks_uri: `${oidcDomain}/keys` }));
    else if (request.url === "/keys") response.end(JSON.stringify(oidcJwks));
    else response.writeHead(404).end("{}");
  });
  await new Promise<void>((resolve) => oidcServer.listen(0, "127.0.0.1", resolve));
  oidcDomain = `http://127.0.0.1:${(oidcServer.address() as AddressInfo).port}`;
  app = await startAppBackend({
    TEST_JWKS_DATA_URI: `data:text/plain;charset=utf-8;base64,${Buffer.from(JSON.stringify(jwks)).toString("base64")}`,
    TEST_OIDC_DOMAIN: oidcDomain,
  });
}, 120_000);
afterAll(async () => {
  await app?.close();
  oidcServer?.close();
});

describe("user tokens", () => {
  test("a valid token gives exactly Convex's UserIdentity over HTTP and the sync socket", async () => {
    const jwt = await token(signingKey, {
      name: "Ada Lovelace",
      given_name: "Ada",
      family_name: "Lovelace",
      nickname: "ada",
      preferred_username: "ada.l",
      profile: "https://example.test/ada",
      picture: "https://example.test/ada.png",
      email: "ada@example.test",
      email_verified: true,
      gender: "female",
      birthdate: "1815-12-10",
      zoneinfo: "Europe/London",
      locale: "en-GB",
      phone_number: "+44 20 0000 0000",
      phone_number_verified: false,
      role: "teacher",
      schools: ["north", "south"],
    });
    const expected = {
      tokenIdentifier: `${ISSUER}|user-42`,
      subject: "user-42",
      issuer: ISSUER,
      name: "Ada Lovelace",
      givenName: "Ada",
      familyName: "Lovelace",
      nickname: "ada",
      preferredUsername: "ada.l",
      profileUrl: "https://example.test/ada",
      pictureUrl: "https://example.test/ada.png",
      email: "ada@example.test",
      emailVerified: true,
      gender: "female",
      birthday: "1815-12-10",
      timezone: "Europe/London",
      language: "en-GB",
      phoneNumber: "+44 20 0000 0000",
      phoneNumberVerified: false,
      role: "teacher",
      schools: ["north", "south"],
    };
    const httpClient = app.http();
    httpClient.setAuth(jwt);
    expect(await httpClient.query(anyApi.identity.whoAmI, {})).toEqual(expected);

    const client = app.client();
    const authStates: boolean[] = [];
    client.setAuth(async () => jwt, (isAuthenticated) => authStates.push(isAuthenticated));
    const seen: unknown[] = [];
    client.onUpdate(anyApi.identity.whoAmI, {}, (value) => seen.push(value));
    await eventually(() => seen.some((value) => value !== null), 10_000, "the identity over the socket");
    expect(seen.find((value) => value !== null)).toEqual(expected);
    expect(authStates).toContain(true);
  });

  test("the identity does not flow into a component", async () => {
    const httpClient = app.http();
    httpClient.setAuth(await token(signingKey, {}));
    expect(await httpClient.query(anyApi.identity.whoAmIHereAndInComponent, {})).toEqual({ app: "user-42", component: null });
  });

  test("an HTTP action sees the Bearer token's identity", async () => {
    const response = await fetch(`${app.backend.siteUrl}/identity`, { headers: { authorization: `Bearer ${await token(signingKey, {})}` } });
    expect(((await response.json()) as { tokenIdentifier: string }).tokenIdentifier).toBe(`${ISSUER}|user-42`);
    expect(await (await fetch(`${app.backend.siteUrl}/identity`)).json()).toBeNull();
  });

  test.each([
    ["expired", () => token(signingKey, {}, { expSeconds: -60 }), /expired|exp/i],
    ["forged (signed by another key)", () => token(otherKey, {}), /signature/i],
    ["for another audience", () => token(signingKey, {}, { aud: "someone-else" }), /No auth provider found/],
    ["from an unknown issuer", () => token(signingKey, {}, { iss: "https://evil.test" }), /No auth provider found/],
  ])("a token %s is refused, over HTTP and the socket", async (_what, make, message) => {
    const jwt = await make();
    const httpClient = app.http();
    httpClient.setAuth(jwt);
    await expect(httpClient.query(anyApi.identity.whoAmI, {})).rejects.toThrow(message);

    const client = app.client();
    const authStates: boolean[] = [];
    client.setAuth(async () => jwt, (isAuthenticated) => authStates.push(isAuthenticated));
    const seen: unknown[] = [];
    client.onUpdate(anyApi.identity.whoAmI, {}, (value) => seen.push(value));
    await eventually(() => authStates.includes(false), 10_000, "the client to learn its token was refused");
    await eventually(() => seen.length > 0, 10_000, "the query to answer");
    expect(authStates).not.toContain(true);
    expect(seen.every((value) => value === null)).toBe(true);
  });

  test("an OIDC provider's token is verified with keys found by discovery", async () => {
    const now = Math.floor(Date.now() / 1000);
    const jwt = await new SignJWT({ email: "oidc@example.test" })
      .setProtectedHeader({ alg: "RS256", kid: "oidc-key" })
      .setIssuer(oidcDomain)
      .setAudience("sems-oidc")
      .setSubject("oidc-user")
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .sign(oidcKey);
    const httpClient = app.http();
    httpClient.setAuth(jwt);
    expect(await httpClient.query(anyApi.identity.whoAmI, {})).toEqual({
      tokenIdentifier: `${oidcDomain}|oidc-user`,
      subject: "oidc-user",
      issuer: oidcDomain,
      email: "oidc@example.test",
    });
  });
});

describe("signJwt", () => {
  test("a mutation signs an ES256 token that verifies against /.well-known/jwks.json and authenticates", async () => {
    const jwt = (await app.http().mutation(anyApi.identity.sign, { claims: { sub: "service-7", scope: "reports" }, expiresInSeconds: 120 })) as string;
    const { payload, protectedHeader } = await jwtVerify(jwt, createRemoteJWKSet(new URL(`${app.backend.url}/.well-known/jwks.json`)), { issuer: app.backend.url });
    expect(protectedHeader.alg).toBe("ES256");
    expect(payload.sub).toBe("service-7");
    expect(payload.scope).toBe("reports");
    expect(payload.exp! - payload.iat!).toBe(120);

    const httpClient = app.http();
    httpClient.setAuth(jwt);
    expect(await httpClient.query(anyApi.identity.whoAmI, {})).toEqual({
      tokenIdentifier: `${app.backend.url}|service-7`,
      subject: "service-7",
      issuer: app.backend.url,
      scope: "reports",
    });
  });

  test("reserved claims, an over-long lifetime and actions are refused", async () => {
    await expect(app.http().mutation(anyApi.identity.sign, { claims: { cvxRole: "x" }, expiresInSeconds: 60 })).rejects.toThrow(/reserved/);
    await expect(app.http().mutation(anyApi.identity.sign, { claims: { exp: 1 }, expiresInSeconds: 60 })).rejects.toThrow(/reserved/);
    await expect(app.http().mutation(anyApi.identity.sign, { expiresInSeconds: 7200 })).rejects.toThrow(/expiresInSeconds/);
    await expect(app.http().action(anyApi.identity.signFromAction, {})).rejects.toThrow(/only available in mutations/);
  });
});
