// Issue 5 §7: every refusal and validation failure is a ConvexError with a stable code and a
// message a person can act on. Clients switch on `code`; people read `message`.
import { ConvexError } from "convex/values";

export type ErrorCode =
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "INVALID_ARGUMENT"
  | "CONFLICT"
  | "LIMIT_EXCEEDED";

// A type alias, not an interface, so it is assignable to Convex's Value.
export type SemsErrorData = {
  code: ErrorCode;
  message: string;
};

export function fail(code: ErrorCode, message: string): never {
  throw new ConvexError<SemsErrorData>({ code, message });
}

// Function declarations (not arrow constants) so TypeScript narrows after a call: `never`.
export function unauthenticated(): never {
  return fail("UNAUTHENTICATED", "Sign in to continue.");
}
export function forbidden(message: string): never {
  return fail("FORBIDDEN", message);
}
export function notFound(what: string): never {
  return fail("NOT_FOUND", `${what} was not found. It may have been removed.`);
}
export function invalid(message: string): never {
  return fail("INVALID_ARGUMENT", message);
}
export function conflict(message: string): never {
  return fail("CONFLICT", message);
}
export function limitExceeded(message: string): never {
  return fail("LIMIT_EXCEEDED", message);
}
