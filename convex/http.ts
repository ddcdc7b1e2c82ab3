// Better Auth's routes /api/auth/* (issue 6, auth.ts) and the document download.
// D15: documents are downloaded only here. GET /documents/download?id=<documentId> with
// `Authorization: Bearer <token>`: Convex authenticates the token, authorizeDownload checks the
// permission with model/access.ts and records the download (D16), then the blob is streamed.
import { httpRouter } from "convex/server";
import { ConvexError } from "convex/values";
import { internal } from "./_generated/api";
import { httpAction } from "./_generated/server";
import { authComponent, createAuth } from "./auth";
import type { ErrorCode } from "./lib/errors";

const STATUS_FOR_CODE: Record<ErrorCode, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  INVALID_ARGUMENT: 400,
  CONFLICT: 409,
  LIMIT_EXCEEDED: 429,
};

// The web app may live on another origin; the token travels in a header, never a cookie, so a
// wildcard origin exposes nothing.
function corsHeaders(): Record<string, string> {
  return {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, OPTIONS",
    "Access-Control-Allow-Headers": "Authorization",
    "Access-Control-Expose-Headers": "Content-Disposition",
    Vary: "Origin",
  };
}

function errorData(error: unknown): { code: ErrorCode; message: string } | null {
  if (!(error instanceof ConvexError)) return null;
  const data: unknown = typeof error.data === "string" ? safeParse(error.data) : error.data;
  if (data && typeof data === "object" && "code" in data && "message" in data) {
    return data as { code: ErrorCode; message: string };
  }
  return null;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function jsonError(status: number, code: string, message: string) {
  return new Response(JSON.stringify({ code, message }), {
    status,
    headers: { "Content-Type": "application/json", ...corsHeaders() },
  });
}

/** RFC 6266 filename, ASCII fallback plus UTF-8 form. */
function contentDisposition(title: string): string {
  const ascii = title.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(title)}`;
}

const downloadDocument = httpAction(async (ctx, request) => {
  const id = new URL(request.url).searchParams.get("id");
  if (!id) return jsonError(400, "INVALID_ARGUMENT", "Add ?id=<documentId> to the download link.");
  let grant;
  try {
    grant = await ctx.runMutation(internal.documents.authorizeDownload, { documentId: id });
  } catch (error) {
    const data = errorData(error);
    if (data) return jsonError(STATUS_FOR_CODE[data.code] ?? 400, data.code, data.message);
    throw error;
  }
  const blob = await ctx.storage.get(grant.storageId);
  if (!blob) return jsonError(404, "NOT_FOUND", "The document's file is missing from storage.");
  return new Response(blob, {
    status: 200,
    headers: {
      "Content-Type": grant.mimeType,
      "Content-Disposition": contentDisposition(grant.title),
      "Cache-Control": "private, no-store",
      ...corsHeaders(),
    },
  });
});

const http = httpRouter();
// Issue 6: Better Auth's routes under /api/auth/* (sign-in, sign-out, sign-up with an invitation,
// password reset, two-factor, the Convex token and JWKS), with CORS for the web app's origin.
// The allowed origin is auth.ts's trustedOrigins, read per request (not SITE_URL at load time).
authComponent.registerRoutes(http, createAuth, { cors: true });
http.route({ path: "/documents/download", method: "GET", handler: downloadDocument });
http.route({
  path: "/documents/download",
  method: "OPTIONS",
  handler: httpAction(async () => new Response(null, { status: 204, headers: corsHeaders() })),
});
export default http;
