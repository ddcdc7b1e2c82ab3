// Turns a verified JWT's claims into exactly the object Convex's
// `ctx.auth.getUserIdentity()` returns (convex/src/server/authentication.ts
// `UserIdentity`): `tokenIdentifier` = `iss|sub`, the OIDC standard claims
// renamed to camelCase, and every other claim passed through unchanged.
import type { JSONValue, UserIdentity } from "../engine/contract.js";

/** OIDC standard claim → its UserIdentity field. */
const STANDARD_CLAIMS: Record<string, string> = {
  name: "name",
  given_name: "givenName",
  family_name: "familyName",
  nickname: "nickname",
  preferred_username: "preferredUsername",
  profile: "profileUrl",
  picture: "pictureUrl",
  email: "email",
  email_verified: "emailVerified",
  gender: "gender",
  birthdate: "birthday",
  zoneinfo: "timezone",
  locale: "language",
  phone_number: "phoneNumber",
  phone_number_verified: "phoneNumberVerified",
  address: "address",
  updated_at: "updatedAt",
};

/** Registered JWT claims that describe the token, not the user: never part of the identity. */
const TOKEN_CLAIMS = new Set(["iss", "sub", "aud", "exp", "iat", "nbf", "jti"]);

/** Claims whose type UserIdentity fixes (boolean / string) even when a provider sends another JSON type. */
const BOOLEAN_FIELDS = new Set(["emailVerified", "phoneNumberVerified"]);

export function identityFromClaims(claims: Record<string, unknown>): UserIdentity {
  const issuer = String(claims.iss);
  const subject = String(claims.sub);
  const identity: UserIdentity = { tokenIdentifier: `${issuer}|${subject}`, subject, issuer };
  for (const [claim, value] of Object.entries(claims)) {
    if (TOKEN_CLAIMS.has(claim) || value === undefined) continue;
    const field = STANDARD_CLAIMS[claim];
    if (field === undefined) {
      identity[claim] = value as JSONValue;
    } else if (BOOLEAN_FIELDS.has(field)) {
      identity[field] = value === true || value === "true";
    } else if (field === "address" && value !== null && typeof value === "object") {
      // OIDC's address is a JSON object; UserIdentity carries it as a string.
      identity[field] = JSON.stringify(value);
    } else if (field === "updatedAt" && typeof value === "number") {
      // OIDC's updated_at is seconds since the epoch; UserIdentity carries a string.
      identity[field] = new Date(value * 1000).toISOString();
    } else {
      identity[field] = typeof value === "string" ? value : (value as JSONValue);
    }
  }
  return identity;
}
