// Verifies the JWT a client presents (`Authenticate` on the sync socket,
// `Authorization: Bearer` over HTTP) against the providers of
// `convex/auth.config.ts`, and yields the caller's AuthState:
//   - customJwt: `issuer` must equal `iss`; `applicationID`, when given, must
//     be in `aud`; the token's `alg` must be the provider's `algorithm`;
//   - OIDC (`domain` + `applicationID`): the issuer is the domain (trailing
//     slash ignored), keys come from the domain's discovery document.
// Anything else (expired, forged, wrong audience, unknown issuer) throws
// AuthenticationError, which the sync layer reports as `AuthError`.
import { decodeJwt, decodeProtectedHeader, errors as joseErrors, jwtVerify } from "jose";
import { AuthenticationError, type AuthState, type JSONValue } from "../engine/contract.js";
import { identityFromClaims } from "./identity.js";
import { discoverOidc, keySetFor } from "./keySets.js";

/** Clock skew tolerated on `exp`, `nbf` and `iat`. */
const CLOCK_TOLERANCE_SECONDS = 5;

type Provider =
  | { kind: "customJwt"; issuer: string; jwks: string; algorithm: string; applicationID?: string }
  | { kind: "oidc"; domain: string; applicationID: string };

export function parseProviders(providers: readonly JSONValue[]): Provider[] {
  const parsed: Provider[] = [];
  for (const raw of providers) {
    const p = (raw ?? {}) as Record<string, unknown>;
    if (p.type === "customJwt" && typeof p.issuer === "string" && typeof p.jwks === "string") {
      parsed.push({
        kind: "customJwt",
        issuer: p.issuer,
        jwks: p.jwks,
        algorithm: typeof p.algorithm === "string" ? p.algorithm : "RS256",
        ...(typeof p.applicationID === "string" ? { applicationID: p.applicationID } : {}),
      });
    } else if (typeof p.domain === "string" && typeof p.applicationID === "string") {
      parsed.push({ kind: "oidc", domain: p.domain, applicationID: p.applicationID });
    }
  }
  return parsed;
}

const stripSlash = (url: string) => url.replace(/\/+$/, "");

function audiences(claims: Record<string, unknown>): string[] {
  const aud = claims.aud;
  return typeof aud === "string" ? [aud] : Array.isArray(aud) ? aud.filter((a): a is string => typeof a === "string") : [];
}

function matches(provider: Provider, iss: string, aud: string[]): boolean {
  if (provider.kind === "customJwt") {
    return provider.issuer === iss && (provider.applicationID === undefined || aud.includes(provider.applicationID));
  }
  return stripSlash(provider.domain) === stripSlash(iss) && aud.includes(provider.applicationID);
}

export class TokenVerifier {
  private providers: Provider[] = [];

  setProviders(providers: readonly JSONValue[]): void {
    this.providers = parseProviders(providers);
  }

  get providerCount(): number {
    return this.providers.length;
  }

  verify = async (token: string): Promise<AuthState> => {
    let claims: Record<string, unknown>;
    let alg: string | undefined;
    try {
      claims = decodeJwt(token);
      alg = decodeProtectedHeader(token).alg;
    } catch {
      throw new AuthenticationError("Could not parse the token as a JWT. Check that the client sends an ID token (JWT), not an access or session token.");
    }
    const iss = typeof claims.iss === "string" ? claims.iss : "";
    const aud = audiences(claims);
    const provider = this.providers.find((candidate) => matches(candidate, iss, aud));
    if (provider === undefined) {
      throw new AuthenticationError(
        `No auth provider found matching the given token (issuer ${JSON.stringify(iss)}, audience ${JSON.stringify(aud)}). ` +
          `Check that your JWT's issuer and audience match one of your configured providers: ${this.describeProviders()}.`,
      );
    }
    if (typeof claims.sub !== "string" || claims.sub === "") throw new AuthenticationError("The token has no `sub` claim.");
    try {
      let verified: Record<string, unknown>;
      if (provider.kind === "customJwt") {
        if (alg !== provider.algorithm) {
          throw new AuthenticationError(`The token is signed with ${alg ?? "no algorithm"}, but the provider for ${provider.issuer} expects ${provider.algorithm}.`);
        }
        ({ payload: verified } = await jwtVerify(token, keySetFor(provider.jwks), {
          issuer: provider.issuer,
          ...(provider.applicationID !== undefined ? { audience: provider.applicationID } : {}),
          algorithms: [provider.algorithm],
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
        }));
      } else {
        const { jwksUri } = await discoverOidc(provider.domain);
        ({ payload: verified } = await jwtVerify(token, keySetFor(jwksUri), {
          audience: provider.applicationID,
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
        }));
      }
      const exp = typeof verified.exp === "number" ? verified.exp * 1000 : undefined;
      return { kind: "user", identity: identityFromClaims(verified), token, ...(exp !== undefined ? { expiresAtMs: exp } : {}) };
    } catch (error) {
      if (error instanceof AuthenticationError) throw error;
      throw new AuthenticationError(describeJoseError(error));
    }
  };

  private describeProviders(): string {
    if (this.providers.length === 0) return "none (convex/auth.config.ts has no providers)";
    return this.providers
      .map((p) => (p.kind === "customJwt" ? `customJwt(issuer=${p.issuer}, applicationID=${p.applicationID ?? "none"})` : `OIDC(domain=${p.domain}, applicationID=${p.applicationID})`))
      .join(", ");
  }
}

function describeJoseError(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return "Token expired: the JWT's `exp` is in the past.";
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return "Could not verify the token's signature: it was not signed by the provider's keys.";
  if (error instanceof joseErrors.JWKSNoMatchingKey) return "Could not verify the token: no key of the provider's JWKS matches its key id.";
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `Could not verify token claim \`${error.claim}\`: ${error.message}`;
  return `Could not verify the token: ${(error as Error).message ?? String(error)}`;
}
