// Resolves the `Authorization` header of an API request to an AuthState.
//
//   Bearer <jwt>                 → a user (Engine.authenticate, tokenType "User")
//   Convex <adminKey>            → the deployment admin
//   Convex <adminKey>:<base64>   → the admin acting as the identity encoded in
//                                  base64 JSON (ConvexHttpClient.setAdminAuth)
//
// Failures become 401 `{code, message}` as the Convex backend sends them
// (codes "InvalidAuthHeader" and "BadAdminKey").

import type { IncomingMessage } from "node:http";
import type { AuthState, Engine, JSONValue } from "../engine/contract.js";
import { HttpError } from "./httpUtil.js";

export async function authenticateRequest(engine: Engine, request: IncomingMessage): Promise<AuthState> {
  const header = request.headers.authorization;
  if (header === undefined || header.trim() === "") return { kind: "none" };
  const space = header.indexOf(" ");
  const scheme = space === -1 ? header : header.slice(0, space);
  const value = space === -1 ? "" : header.slice(space + 1).trim();
  if (scheme.toLowerCase() === "bearer") {
    if (value === "") throw new HttpError(401, "InvalidAuthHeader", "Header must begin with `bearer ` followed by a token");
    try {
      return await engine.authenticate({ tokenType: "User", value });
    } catch (error) {
      throw new HttpError(401, "InvalidAuthHeader", messageOf(error));
    }
  }
  if (scheme.toLowerCase() === "convex") {
    return authenticateAdmin(engine, value);
  }
  throw new HttpError(401, "InvalidAuthHeader", "Authorization header must be `Bearer <token>` or `Convex <admin key>`");
}

/** The value after `Convex ` (admin key, optionally `:<base64 identity>`); HttpError 401 when it does not verify. */
export async function authenticateConvexHeader(engine: Engine, value: string): Promise<AuthState> {
  return authenticateAdmin(engine, value);
}

async function authenticateAdmin(engine: Engine, value: string): Promise<AuthState> {
  let key = value;
  let impersonating: JSONValue | undefined;
  if (!engine.isAdminKey(value)) {
    const colon = value.lastIndexOf(":");
    if (colon === -1 || !engine.isAdminKey(value.slice(0, colon))) throw badAdminKey();
    key = value.slice(0, colon);
    try {
      impersonating = JSON.parse(Buffer.from(value.slice(colon + 1), "base64").toString("utf8")) as JSONValue;
    } catch {
      throw new HttpError(401, "InvalidAuthHeader", "The identity after the admin key is not base64-encoded JSON");
    }
  }
  try {
    return await engine.authenticate(
      impersonating === undefined ? { tokenType: "Admin", value: key } : { tokenType: "Admin", value: key, impersonating },
    );
  } catch (error) {
    throw new HttpError(401, "BadAdminKey", messageOf(error));
  }
}

function badAdminKey(): HttpError {
  return new HttpError(401, "BadAdminKey", "The provided admin key was invalid for this instance");
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
