// Server errors for people: convex/lib/errors.ts throws ConvexError({ code, message }); the
// message is written for users, so show it; anything else gets its plain message.
import { ConvexError } from "convex/values";

export function errorMessage(error: unknown): string {
  if (error instanceof ConvexError) {
    const data = error.data as { message?: string } | string;
    if (typeof data === "string") return data;
    if (data && typeof data.message === "string") return data.message;
  }
  if (error instanceof Error) return error.message.replace(/^\[CONVEX [^\]]*\]\s*(\[Request ID: [^\]]*\]\s*)?/, "");
  return String(error);
}
