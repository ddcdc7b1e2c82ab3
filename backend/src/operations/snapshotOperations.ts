// The state behind `npx convex export` and `npx convex import`: the latest
// snapshot export, and imports from upload to completion. Work runs inside
// the request that starts it, so by the time the CLI subscribes to the state
// (`_system/cli/exports:getLatest`, `_system/cli/queryImport`) it is already
// stable: our system queries are not reactive to this in-memory state.
// Files live in <data>/operations/{exports,imports}; the latest export is kept.

import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { JSONValue } from "../engine/contract.js";
import type { LocalEngine } from "../engine/localEngine.js";
import type { BlobStore } from "../fileStorage/blobStore.js";
import { ImportError, readImportSources, type ImportFormat, type ImportSources } from "./importSources.js";
import { applyImport, parseImportMode, summarizeImport, type ImportMode } from "./snapshotImport.js";
import { writeSnapshotZip } from "./snapshotExport.js";

export class OperationError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "OperationError";
  }
}

function int64(value: bigint | number): JSONValue {
  const bytes = Buffer.alloc(8);
  bytes.writeBigInt64LE(BigInt(value), 0);
  return { $integer: bytes.toString("base64") };
}

type ExportState =
  | { state: "in_progress"; requested_at: number }
  | { state: "completed"; start_ts: bigint; complete_ts: bigint; zip_object_key: string; documents: number }
  | { state: "failed"; error: string };

type ImportStateJson =
  | { state: "uploaded" }
  | { state: "waiting_for_confirmation"; message_to_confirm: string; require_manual_confirmation: boolean }
  | { state: "in_progress"; progress_message: string; checkpoint_messages: string[] }
  | { state: "completed"; num_rows_written: number; ts: bigint }
  | { state: "failed"; error_message: string };

interface ImportRecord {
  id: string;
  creationTime: number;
  filePath: string;
  format: ImportFormat;
  mode: ImportMode;
  tableName?: string;
  componentPath: string;
  state: ImportStateJson;
  sources?: ImportSources;
}

const MAX_PARTS = 10_000;

export class SnapshotOperations {
  private exportState: ExportState | null = null;
  private readonly imports = new Map<string, ImportRecord>();
  private readonly uploads = new Map<string, string>();
  readonly exportsDir: string;
  readonly importsDir: string;

  constructor(
    private readonly engine: LocalEngine,
    private readonly databasePath: string,
    dataDir: string,
    private readonly log: (line: string) => void = () => {},
    /** Stored files, for exports with file storage and imports of `_storage`. */
    readonly blobs?: BlobStore,
  ) {
    this.exportsDir = path.join(dataDir, "operations", "exports");
    this.importsDir = path.join(dataDir, "operations", "imports");
    fs.mkdirSync(this.exportsDir, { recursive: true });
    fs.mkdirSync(this.importsDir, { recursive: true });
  }

  // ---- export ---------------------------------------------------------------

  async requestExport(options: { includeStorage?: boolean } = {}): Promise<void> {
    if (this.exportState?.state === "in_progress") {
      throw new OperationError(400, "ExportInProgress", "A snapshot export is already requested or in progress.");
    }
    this.exportState = { state: "in_progress", requested_at: Date.now() };
    const partial = path.join(this.exportsDir, `in-progress-${randomBytes(4).toString("hex")}.zip`);
    try {
      const started = Date.now();
      const result = await writeSnapshotZip(this.databasePath, partial, {
        includeStorage: options.includeStorage === true,
        ...(this.blobs ? { blobs: this.blobs } : {}),
      });
      const name = `snapshot_${result.ts}.zip`;
      for (const old of fs.readdirSync(this.exportsDir)) if (old !== path.basename(partial)) fs.rmSync(path.join(this.exportsDir, old), { force: true });
      fs.renameSync(partial, path.join(this.exportsDir, name));
      this.exportState = { state: "completed", start_ts: result.ts, complete_ts: this.engine.latestTs(), zip_object_key: name, documents: result.documents };
      this.log(
        `Snapshot export at ts ${result.ts}: ${result.documents} documents in ${result.tables} tables, ${result.files} files, ${result.bytes} bytes, ${Date.now() - started} ms.`,
      );
    } catch (error) {
      fs.rmSync(partial, { force: true });
      this.exportState = { state: "failed", error: (error as Error).message };
      this.log(`Snapshot export failed: ${(error as Error).message}`);
    }
  }

  latestExport(): JSONValue {
    const s = this.exportState;
    if (s === null) return null;
    switch (s.state) {
      case "in_progress":
        return { state: "in_progress", requestor: "snapshotExport" };
      case "failed":
        return { state: "failed", requestor: "snapshotExport", error: s.error };
      case "completed":
        return {
          state: "completed",
          requestor: "snapshotExport",
          start_ts: int64(s.start_ts),
          complete_ts: int64(s.complete_ts),
          zip_object_key: s.zip_object_key,
        };
    }
  }

  /** The ZIP of the completed export taken at `ts`, or null. */
  exportFile(ts: string): { path: string; name: string } | null {
    const s = this.exportState;
    if (s?.state !== "completed" || s.start_ts.toString() !== ts) return null;
    const file = path.join(this.exportsDir, s.zip_object_key);
    return fs.existsSync(file) ? { path: file, name: s.zip_object_key } : null;
  }

  // ---- import: upload ---------------------------------------------------------

  startUpload(): string {
    const token = randomBytes(16).toString("hex");
    const dir = path.join(this.importsDir, `upload-${token}`);
    fs.mkdirSync(dir, { recursive: true });
    this.uploads.set(token, dir);
    return token;
  }

  async uploadPart(token: string, partNumber: number, body: AsyncIterable<Buffer>): Promise<string> {
    const dir = this.uploads.get(token);
    if (!dir) throw new OperationError(404, "UploadNotFound", "Unknown or expired upload token.");
    if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > MAX_PARTS) {
      throw new OperationError(400, "InvalidPartNumber", `partNumber must be an integer in 1..${MAX_PARTS}.`);
    }
    const out = fs.createWriteStream(path.join(dir, String(partNumber)));
    for await (const chunk of body) if (!out.write(chunk)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
    await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
    return String(partNumber);
  }

  /** Joins the parts and parses the file up to the confirmation step. */
  async finishUpload(body: Record<string, unknown>): Promise<string> {
    const token = String(body.uploadToken ?? "");
    const dir = this.uploads.get(token);
    if (!dir) throw new OperationError(404, "UploadNotFound", "Unknown or expired upload token.");
    this.uploads.delete(token);
    const args = (body.import ?? {}) as Record<string, unknown>;
    const format = String(args.format ?? "zip") as ImportFormat;
    if (!["zip", "jsonLines", "jsonArray", "csv"].includes(format)) throw new OperationError(400, "InvalidFormat", `Unknown import format ${JSON.stringify(format)}`);
    const parts = Array.isArray(body.partTokens) ? body.partTokens.map(String) : [];
    const id = randomBytes(16).toString("hex");
    const filePath = path.join(this.importsDir, `${id}.upload`);
    const out = fs.createWriteStream(filePath);
    for (const part of parts) {
      const partPath = path.join(dir, path.basename(part));
      if (!fs.existsSync(partPath)) throw new OperationError(400, "MissingPart", `Upload part ${part} was never uploaded.`);
      for await (const chunk of fs.createReadStream(partPath)) if (!out.write(chunk)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
    }
    await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
    fs.rmSync(dir, { recursive: true, force: true });

    const record: ImportRecord = {
      id,
      creationTime: Date.now(),
      filePath,
      format,
      mode: "requireEmpty",
      componentPath: typeof args.componentPath === "string" ? args.componentPath : "",
      state: { state: "uploaded" },
    };
    if (typeof args.tableName === "string") record.tableName = args.tableName;
    this.imports.set(id, record);
    try {
      record.mode = parseImportMode(args.mode);
      const options: { tableName?: string; componentPath?: string } = { componentPath: record.componentPath };
      if (record.tableName !== undefined) options.tableName = record.tableName;
      record.sources = await readImportSources(filePath, format, options);
      const summary = await summarizeImport(this.engine, record.sources, record.mode, this.blobs !== undefined);
      record.state = { state: "waiting_for_confirmation", message_to_confirm: summary.message, require_manual_confirmation: summary.requireManualConfirmation };
    } catch (error) {
      this.fail(record, error);
    }
    return id;
  }

  /** Runs a confirmed import to its end (completed or failed). */
  async performImport(importId: string): Promise<void> {
    const record = this.imports.get(importId);
    if (!record) throw new OperationError(404, "ImportNotFound", `import ${importId} not found`);
    if (record.state.state !== "waiting_for_confirmation" || !record.sources) {
      throw new OperationError(400, "ImportNotWaiting", `Import ${importId} is ${record.state.state}, not waiting for confirmation.`);
    }
    record.state = { state: "in_progress", progress_message: "Importing", checkpoint_messages: [] };
    try {
      const started = Date.now();
      const { rowsWritten, ts, files } = await applyImport(this.engine, record.sources, record.mode, this.blobs);
      record.state = { state: "completed", num_rows_written: rowsWritten, ts };
      this.log(`Import ${importId}: ${rowsWritten} documents and ${files} files in ${Date.now() - started} ms.`);
    } catch (error) {
      this.fail(record, error);
    } finally {
      delete record.sources;
      fs.rmSync(record.filePath, { force: true });
    }
  }

  listImports(): JSONValue {
    return [...this.imports.values()].map((r) => this.importJson(r));
  }

  getImport(importId: string): JSONValue {
    const record = this.imports.get(importId);
    if (!record) throw new Error(`import ${importId} not found`);
    return this.importJson(record);
  }

  private fail(record: ImportRecord, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    record.state = { state: "failed", error_message: `Hit an error while importing:\n${message}` };
    if (!(error instanceof ImportError)) this.log(`Import ${record.id} failed: ${(error as Error)?.stack ?? message}`);
  }

  private importJson(record: ImportRecord): JSONValue {
    const s = record.state;
    const state: JSONValue =
      s.state === "completed" ? { state: "completed", num_rows_written: int64(s.num_rows_written), ts: int64(s.ts) } : (s as unknown as JSONValue);
    return {
      _id: record.id,
      _creationTime: record.creationTime,
      state,
      format: record.tableName === undefined ? { format: record.format } : { format: record.format, table: record.tableName },
      mode: record.mode,
      component_path: record.componentPath,
    };
  }
}
