// The embedded backend as the integration suite uses it: a real `sems-backend` process with
// convex/ deployed by the real Convex CLI, and HTTP clients that act as SEMS users through the
// admin key (`Authorization: Convex <adminKey>:<base64 identity>`, ConvexHttpClient.setAdminAuth)
// until Better Auth JWTs land.
import { ConvexHttpClient } from "convex/browser";
import { getFunctionName, type FunctionReference, type FunctionReturnType, type OptionalRestArgs } from "convex/server";
import type { UserIdentityAttributes } from "convex/server";
import type { AccessWorld, Role } from "../../convex/fixtures/accessWorld";
import type { MatrixClient } from "../../convex/test/accessMatrixRows.testing";

/** What globalSetup hands every test file (vitest `provide`/`inject`). */
export interface SemsBackendInfo {
  url: string;
  siteUrl: string;
  adminKey: string;
  /** The SEMS_ENCRYPTION_KEYS the deployment's functions see. */
  encryptionKeys: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    semsBackend: SemsBackendInfo;
  }
}

/** An internal function called with the admin key, as `npx convex run` does. */
export async function callInternal<F extends FunctionReference<"query" | "mutation" | "action", "internal">>(
  backend: SemsBackendInfo,
  fn: F,
  ...args: OptionalRestArgs<F>
): Promise<FunctionReturnType<F>> {
  const response = await fetch(`${backend.url}/api/function`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Convex ${backend.adminKey}` },
    body: JSON.stringify({ path: getFunctionName(fn), args: args[0] ?? {}, format: "json" }),
  });
  const body = (await response.json()) as { status: string; value?: unknown; errorMessage?: string };
  if (body.status !== "success") throw new Error(`${getFunctionName(fn)} failed: ${body.errorMessage ?? JSON.stringify(body)}`);
  return body.value as FunctionReturnType<F>;
}

/** The identity a role's user signs in with: the email SEMS matches on (currentUser.ts). */
export function identityOf(world: AccessWorld, role: Exclude<Role, "anonymous">): UserIdentityAttributes {
  const user = world.users[role];
  return { subject: `auth|${role}.${world.tag}`, issuer: "https://auth.sems.test", email: user.email, name: `${user.firstName} ${user.lastName}` };
}

/** ConvexHttpClient.setAdminAuth is internal to the convex package (not in its type declarations). */
interface AdminAuthClient {
  setAdminAuth(adminKey: string, actingAs?: UserIdentityAttributes): void;
}

/** A ConvexHttpClient on which the admin key acts as `identity`. */
export function httpClientActingAs(backend: SemsBackendInfo, identity: UserIdentityAttributes | undefined): ConvexHttpClient {
  const client = new ConvexHttpClient(backend.url, { logger: false });
  if (identity) (client as unknown as AdminAuthClient).setAdminAuth(backend.adminKey, identity);
  return client;
}

function base64Json(value: unknown): string {
  return Buffer.from(JSON.stringify(value), "utf8").toString("base64");
}

/** A client acting as `role` of `world` (anonymous: no Authorization at all). */
export function clientAs(backend: SemsBackendInfo, world: AccessWorld, role: Role): MatrixClient {
  const identity = role === "anonymous" ? undefined : identityOf(world, role);
  const client = httpClientActingAs(backend, identity);
  return {
    query: <Q extends FunctionReference<"query">>(query: Q, ...args: OptionalRestArgs<Q>) => client.query(query, ...args),
    mutation: <M extends FunctionReference<"mutation">>(mutation: M, ...args: OptionalRestArgs<M>) => client.mutation(mutation, ...args),
    fetch: async (path, init) => {
      const headers = new Headers(init.headers);
      if (identity) headers.set("authorization", `Convex ${backend.adminKey}:${base64Json(identity)}`);
      return await fetch(`${backend.siteUrl}${path}`, { ...init, headers });
    },
  };
}
