// The HTTP endpoints of `npx convex export` and `npx convex import`
// (node_modules/convex/src/cli/lib/convexExport.ts, convexImport.ts), all
// behind the admin key:
//   POST /api/export/request/zip?includeStorage=…  take a snapshot export
//   GET  /api/export/zip/<ts>                      download it
//   POST /api/import/start_upload                  → {uploadToken}
//   POST /api/import/upload_part?uploadToken&partNumber   (raw bytes) → part token
//   POST /api/import/finish_upload  {import: {tableName?, componentPath?, mode, format}, uploadToken, partTokens} → {importId}
//   POST /api/perform_import        {importId}     run the confirmed import

import fs from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ApiRoute } from "../engine/contract.js";
import { HttpError, readJsonBody, sendJson } from "../http/httpUtil.js";
import { requireAdminKey } from "../observability/observabilityRoutes.js";
import { OperationError, type SnapshotOperations } from "./snapshotOperations.js";

export interface OperationsRouteDeps {
  isAdminKey(key: string): boolean;
  operations: SnapshotOperations;
}

function query(request: IncomingMessage): URLSearchParams {
  return new URL(request.url ?? "/", "http://localhost").searchParams;
}

async function guarded(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (error instanceof OperationError) throw new HttpError(error.status, error.code, error.message);
    throw error;
  }
}

export function operationsRoutes(deps: OperationsRouteDeps): ApiRoute[] {
  const { operations } = deps;
  const admin = (method: ApiRoute["method"], path: string, handle: (request: IncomingMessage, response: ServerResponse) => Promise<void>): ApiRoute => ({
    method,
    path,
    handle: (request, response) =>
      guarded(async () => {
        requireAdminKey(request, deps.isAdminKey);
        await handle(request, response);
      }),
  });

  return [
    admin("POST", "/api/export/request/zip", async (request, response) => {
      request.resume();
      // `npx convex export --include-file-storage` sends includeStorage=true (convex/src/cli/lib/convexExport.ts).
      await operations.requestExport({ includeStorage: query(request).get("includeStorage") === "true" });
      sendJson(response, 200, {});
    }),
    admin("GET", "/api/export/zip/*", async (request, response) => {
      const ts = decodeURIComponent((request.url ?? "").split("?")[0]!.slice("/api/export/zip/".length));
      const file = operations.exportFile(ts);
      if (!file) throw new HttpError(404, "ExportNotFound", `No completed snapshot export at timestamp ${ts}.`);
      const { size } = fs.statSync(file.path);
      response.writeHead(200, {
        "Content-Type": "application/zip",
        "Content-Length": size,
        "Content-Disposition": `attachment; filename=${file.name}`,
      });
      await new Promise<void>((resolve, reject) => {
        const stream = fs.createReadStream(file.path);
        stream.on("error", reject);
        response.on("close", resolve);
        stream.pipe(response);
      });
    }),
    admin("POST", "/api/import/start_upload", async (request, response) => {
      request.resume();
      sendJson(response, 200, { uploadToken: operations.startUpload() });
    }),
    admin("POST", "/api/import/upload_part", async (request, response) => {
      const params = query(request);
      const token = await operations.uploadPart(params.get("uploadToken") ?? "", Number(params.get("partNumber")), request);
      sendJson(response, 200, token);
    }),
    admin("POST", "/api/import/finish_upload", async (request, response) => {
      const body = await readJsonBody(request);
      sendJson(response, 200, { importId: await operations.finishUpload(body) });
    }),
    admin("POST", "/api/perform_import", async (request, response) => {
      const body = await readJsonBody(request);
      if (typeof body.importId !== "string") throw new HttpError(400, "BadRequest", "`importId` must be a string");
      await operations.performImport(body.importId);
      sendJson(response, 200, {});
    }),
  ];
}
