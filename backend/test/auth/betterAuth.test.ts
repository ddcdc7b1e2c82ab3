// Better Auth through the real @convex-dev/better-auth component (its
// compiled dist/component), pushed with the real CLI: sign up and sign in
// over the HTTP routes, fetch the Convex token, authenticate a ConvexClient
// (the backend fetches the JWKS from its own HTTP action), sign out, and a
// forged token is refused.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { anyApi } from "convex/server";
import { decodeJwt } from "jose";
import { eventually, startAppBackend, type AppBackend } from "../httpActions/appBackend.js";

let app: AppBackend;
let site: string;

beforeAll(async () => {
  app = await startAppBackend();
  site = app.backend.siteUrl;
}, 120_000);
afterAll(() => app?.close());

/** Better Auth checks Origin on state-changing requests: a browser on the site would send it. */
async function post(path: string, body: unknown, cookie?: string): Promise<Response> {
  return fetch(`${site}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: site, ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(body),
  });
}

function sessionCookie(response: Response): string {
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith("better-auth.session_token="));
  expect(cookie).toBeDefined();
  return cookie!.split(";")[0];
}

async function convexToken(cookie: string): Promise<Response> {
  return fetch(`${site}/api/auth/convex/token`, { headers: { cookie } });
}

describe("Better Auth", () => {
  test("sign up, sign in, Convex token, authenticated client, sign out", async () => {
    const signUp = await post("/api/auth/sign-up/email", { email: "teacher@school.test", password: "correct horse battery", name: "Terry Teacher" });
    expect(signUp.status).toBe(200);
    const userId = ((await signUp.json()) as { user: { id: string } }).user.id;

    const badSignIn = await post("/api/auth/sign-in/email", { email: "teacher@school.test", password: "wrong password!!" });
    expect(badSignIn.status).toBe(401);

    const signIn = await post("/api/auth/sign-in/email", { email: "teacher@school.test", password: "correct horse battery" });
    expect(signIn.status).toBe(200);
    const cookie = sessionCookie(signIn);

    const tokenResponse = await convexToken(cookie);
    expect(tokenResponse.status).toBe(200);
    const { token } = (await tokenResponse.json()) as { token: string };
    const claims = decodeJwt(token);
    expect(claims.iss).toBe(site);
    expect(claims.aud).toBe("convex");
    expect(claims.sub).toBe(userId);

    const client = app.client();
    const authStates: boolean[] = [];
    client.setAuth(async () => token, (isAuthenticated) => authStates.push(isAuthenticated));
    const identities: unknown[] = [];
    client.onUpdate(anyApi.identity.whoAmI, {}, (value) => identities.push(value));
    const identity = (await eventually(() => identities.find((value) => value !== null), 15_000, "the identity")) as Record<string, unknown>;
    expect(identity).toMatchObject({
      tokenIdentifier: `${site}|${userId}`,
      subject: userId,
      issuer: site,
      name: "Terry Teacher",
      email: "teacher@school.test",
      emailVerified: false,
      sessionId: claims.sessionId,
    });
    expect(authStates).toContain(true);
    // The app's query reads the user from the component, as Better Auth's docs do it.
    const users: unknown[] = [];
    client.onUpdate(anyApi.auth.getCurrentUser, {}, (value) => users.push(value));
    await eventually(() => users.some((value) => value !== null), 15_000, "getCurrentUser");
    expect(users.find((value) => value !== null)).toEqual({ email: "teacher@school.test", name: "Terry Teacher" });

    const signOut = await post("/api/auth/sign-out", {}, cookie);
    expect(signOut.status).toBe(200);
    const session = await fetch(`${site}/api/auth/get-session`, { headers: { cookie } });
    expect(await session.json()).toBeNull();
    expect((await convexToken(cookie)).status).toBe(401);
  });

  test("a token with a forged signature is refused", async () => {
    const signUp = await post("/api/auth/sign-up/email", { email: "forger@school.test", password: "correct horse battery", name: "F" });
    const { token } = (await (await convexToken(sessionCookie(signUp))).json()) as { token: string };
    const [header, payload, signature] = token.split(".");
    const forgedPayload = Buffer.from(JSON.stringify({ ...decodeJwt(token), sub: "someone-else" })).toString("base64url");
    for (const forged of [`${header}.${forgedPayload}.${signature}`, `${header}.${payload}.${signature.slice(0, -4)}AAAA`]) {
      const httpClient = app.http();
      httpClient.setAuth(forged);
      await expect(httpClient.query(anyApi.identity.whoAmI, {})).rejects.toThrow(/signature|verify/i);
    }
    const genuine = app.http();
    genuine.setAuth(token);
    expect(((await genuine.query(anyApi.identity.whoAmI, {})) as { email: string }).email).toBe("forger@school.test");
  });
});
