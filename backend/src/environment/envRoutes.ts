// POST /api/update_environment_variables {changes: [{name, value: string | null}]}
// — what `npx convex env set / remove` (and `env set --from-file`) send, with
// the admin key. Answers `{}`; a bad name or value is a 400 `{code, message}`.
import type { ApiRoute } from "../engine/contract.js";
import { adminKeyFromHeader, badAdminKey, drain, missingAdminKey, readJson, respond } from "../deploy/httpIo.js";
import { PushError } from "../deploy/pushError.js";
import { EnvVarError, type EnvironmentVariables, type EnvVarChange } from "./envStore.js";

export function envRoutes(deps: { isAdminKey(key: string): boolean; variables: EnvironmentVariables }): ApiRoute[] {
  return [
    {
      method: "POST",
      path: "/api/update_environment_variables",
      handle: (request, response) =>
        respond(response, async () => {
          const key = adminKeyFromHeader(request);
          if (key === null || !deps.isAdminKey(key)) {
            await drain(request);
            throw key === null ? missingAdminKey() : badAdminKey();
          }
          const body = (await readJson(request)) as { changes?: unknown } | null;
          if (!body || !Array.isArray(body.changes)) {
            throw new PushError(400, "InvalidEnvVarChanges", "The body must be {changes: [{name, value}]}.");
          }
          try {
            await deps.variables.update(body.changes as EnvVarChange[]);
          } catch (error) {
            if (error instanceof EnvVarError) throw new PushError(400, error.code, error.message);
            throw error;
          }
          return {};
        }),
    },
  ];
}
