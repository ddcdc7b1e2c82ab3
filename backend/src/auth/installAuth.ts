// Wires authentication into a LocalEngine:
//   - `engine.verifyUserToken` checks client JWTs against auth.config.ts's providers;
//   - the `1.0/signJwt` syscall (mutations only) signs with the deployment key;
//   - the API port serves that key's JWKS at /.well-known/jwks.json.
import type { ApiRoute, JSONValue } from "../engine/contract.js";
import type { LocalEngine } from "../engine/localEngine.js";
import { SyscallError } from "../runtime/syscalls.js";
import { DeploymentKey, deploymentKeyRoutes, signJwtIssuer } from "./deploymentKey.js";
import { TokenVerifier } from "./tokenVerifier.js";

export interface AuthLayer {
  verifier: TokenVerifier;
  key: DeploymentKey;
  /** Routes for the API port (the issuer origin of `signJwt` tokens). */
  apiRoutes: ApiRoute[];
  /** Call with each push's `authConfig.providers`. */
  setProviders(providers: readonly JSONValue[]): void;
}

export function installAuth(engine: LocalEngine, cloudUrl: () => string): AuthLayer {
  const verifier = new TokenVerifier();
  const key = DeploymentKey.loadOrCreate(engine.writerStore);
  engine.verifyUserToken = verifier.verify;

  const previous = engine.extraAsync;
  engine.extraAsync = (op, args, context) => {
    if (op !== "1.0/signJwt") return previous?.(op, args, context);
    if (context.kind !== "mutation") {
      return Promise.reject(new SyscallError("ctx.auth.signJwt is only available in mutations."));
    }
    return key.sign(args, signJwtIssuer(cloudUrl(), context.component)).catch((error: Error) => {
      throw new SyscallError(error.message);
    });
  };

  return {
    verifier,
    key,
    apiRoutes: deploymentKeyRoutes(key, cloudUrl),
    setProviders: (providers) => verifier.setProviders(providers),
  };
}
