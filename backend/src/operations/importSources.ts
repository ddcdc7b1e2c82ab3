// What an uploaded import file holds, table by table, before anything is
// written: the formats `npx convex import` sends (a snapshot ZIP, or one table
// as JSON lines / a JSON array), parsed the way Convex parses them
// (convex-backend `crates/application/src/snapshot_import/parse.rs`):
//   - ZIP entries `[_components/<c>/…]<table>/documents.jsonl`, with the
//     table numbers of `[…]_tables/documents.jsonl`; other system tables are
//     skipped; `[…]_storage/documents.jsonl` lists stored files (plain JSON,
//     storageExport.ts) and `[…]_storage/<id>[.ext]` entries hold their bytes.
//   - `<table>/generated_schema.jsonl` = "uniform" → documents use
//     ConvexExportJSON (exportJson.ts); without it (single-table JSON, older
//     snapshots) documents are read as Convex-encoded JSON, numbers as float64.

import fs from "node:fs";
import { decodeDocumentId } from "../values/ids.js";
import { parseExportJson } from "./exportJson.js";
import { linesOf, ZipReader, type ZipEntry } from "./zip/zipReader.js";

export type ImportFormat = "zip" | "jsonLines" | "jsonArray" | "csv";
export type Encoded = ReturnType<typeof parseExportJson>;

export class ImportError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ImportError";
  }
}

export interface ImportTable {
  component: string;
  table: string;
  /** From the snapshot's `_tables`, when it lists this table. */
  tableNumber?: number;
  /** Number of documents (lines), counted without parsing. */
  count(): Promise<number>;
  documents(): AsyncIterable<Encoded>;
}

/** One file's bytes in the ZIP: `[…]_storage/<id>[.ext]`. */
export interface ImportStorageFile {
  id: string;
  stream(): Promise<AsyncIterable<Buffer>>;
}

/** A component's file storage in a snapshot ZIP (Convex imports `_storage` only when its documents.jsonl is there). */
export interface ImportStorage {
  component: string;
  /** Lines of `_storage/documents.jsonl`. */
  count(): Promise<number>;
  /** Its lines, plain JSON: {_id, _creationTime?, sha256?, size?, contentType?, internalId?}. */
  metadata(): AsyncIterable<Encoded>;
  files: ImportStorageFile[];
}

export interface ImportSources {
  tables: ImportTable[];
  storage: ImportStorage[];
}

interface EntryPath {
  component: string;
  table: string;
  file: string;
}

/**
 * "_components/a/_components/b/messages/documents.jsonl" → {component "a/b", table "messages", file "documents.jsonl"}.
 * A leading folder that is not `_components/<name>` is ignored, as Convex does.
 */
export function parseEntryPath(name: string, baseComponent = ""): EntryPath | null {
  const parts = name.split("/");
  if (parts.length < 2) return null;
  const file = parts.pop()!;
  const table = parts.pop()!;
  const names: string[] = [];
  while (parts.length >= 2 && parts[parts.length - 2] === "_components") {
    names.unshift(parts.pop()!);
    parts.pop();
  }
  const component = [baseComponent, ...names].filter((p) => p !== "").join("/");
  return { component, table, file };
}

async function countLines(stream: AsyncIterable<Buffer>): Promise<number> {
  let lines = 0;
  let lastByte = 0x0a;
  let pendingBlank = true;
  for await (const chunk of stream) {
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i]!;
      if (byte === 0x0a) {
        if (!pendingBlank) lines++;
        pendingBlank = true;
      } else if (byte !== 0x20 && byte !== 0x0d && byte !== 0x09) pendingBlank = false;
      lastByte = byte;
    }
  }
  if (lastByte !== 0x0a && !pendingBlank) lines++;
  return lines;
}

function parseLine(line: string, lineNumber: number, uniform: boolean): Encoded {
  try {
    return uniform ? parseExportJson(line) : (JSON.parse(line) as Encoded);
  } catch (error) {
    throw new ImportError("JsonInvalidRow", `Row ${lineNumber} wasn't valid JSON: ${(error as Error).message}`);
  }
}

async function* parsedLines(stream: AsyncIterable<Buffer>, uniform: boolean): AsyncGenerator<Encoded> {
  let n = 0;
  for await (const line of linesOf(stream)) yield parseLine(line, ++n, uniform);
}

export async function readImportSources(path: string, format: ImportFormat, options: { tableName?: string; componentPath?: string }): Promise<ImportSources> {
  const component = options.componentPath ?? "";
  switch (format) {
    case "zip":
      return readZip(path, component);
    case "jsonLines": {
      const table = requireTable(options.tableName, format);
      return {
        storage: [],
        tables: [
          {
            component,
            table,
            count: () => countLines(fs.createReadStream(path)),
            documents: () => parsedLines(fs.createReadStream(path), false),
          },
        ],
      };
    }
    case "jsonArray": {
      const table = requireTable(options.tableName, format);
      const load = async (): Promise<Encoded[]> => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(await fs.promises.readFile(path, "utf8"));
        } catch (error) {
          throw new ImportError("NotJson", `Not valid JSON: ${(error as Error).message}`);
        }
        if (!Array.isArray(parsed)) throw new ImportError("NotJsonArray", "Not a JSON array");
        return parsed as Encoded[];
      };
      return {
        storage: [],
        tables: [
          {
            component,
            table,
            count: async () => (await load()).length,
            documents: async function* () {
              yield* await load();
            },
          },
        ],
      };
    }
    case "csv":
      throw new ImportError("UnsupportedFormat", "CSV import is not supported by this backend; convert the file to JSON lines (.jsonl).");
  }
}

function requireTable(tableName: string | undefined, format: string): string {
  if (!tableName) throw new ImportError("MissingTableName", `The \`--table\` option is required for format ${format}`);
  return tableName;
}

async function readZip(path: string, baseComponent: string): Promise<ImportSources> {
  const zip = await ZipReader.open(path);
  const documents = new Map<string, { component: string; table: string; entry: ZipEntry }>();
  const uniform = new Set<string>();
  const tablesEntries: { component: string; entry: ZipEntry }[] = [];
  const storageLists = new Map<string, ZipEntry>();
  const storageFiles = new Map<string, ImportStorageFile[]>();
  const key = (component: string, table: string) => `${component}\u0000${table}`;

  for (const entry of zip.entries) {
    if (entry.name.endsWith("/")) continue;
    const parsed = parseEntryPath(entry.name, baseComponent);
    if (!parsed) continue;
    if (parsed.table === "_storage") {
      // As Convex's `_storage/([^/.]+)(?:\.[^/]+)?$`: the name up to its first dot is the id.
      const stem = parsed.file.split(".")[0]!;
      if (parsed.file === "documents.jsonl") storageLists.set(parsed.component, entry);
      else if (stem !== "documents") {
        if (!decodeDocumentId(stem)) throw new ImportError("InvalidStorageId", `_storage id '${stem}' invalid: not a Convex document id`);
        let files = storageFiles.get(parsed.component);
        if (!files) storageFiles.set(parsed.component, (files = []));
        files.push({ id: stem, stream: () => zip.stream(entry) });
      }
      continue;
    }
    if (parsed.file === "documents.jsonl") {
      if (parsed.table === "_tables") tablesEntries.push({ component: parsed.component, entry });
      else if (!parsed.table.startsWith("_")) documents.set(key(parsed.component, parsed.table), { component: parsed.component, table: parsed.table, entry });
    } else if (parsed.file === "generated_schema.jsonl") {
      const first = (await zip.readText(entry)).split("\n")[0]?.trim();
      if (first === '"uniform"') uniform.add(key(parsed.component, parsed.table));
    }
  }

  // `_tables` lists every table of a component, documents or not; its numbers keep ids valid.
  const numbers = new Map<string, number>();
  for (const { component, entry } of tablesEntries) {
    let n = 0;
    for await (const line of linesOf(await zip.stream(entry))) {
      n++;
      const row = parseLine(line, n, false) as { name?: unknown; id?: unknown };
      if (typeof row?.name !== "string" || typeof row.id !== "number" || !Number.isInteger(row.id) || row.id < 1) {
        throw new ImportError("InvalidConvexValue", `Row ${n} of ${entry.name} wasn't a valid table entry: expected {"name": string, "id": number}`);
      }
      if (row.name.startsWith("_")) continue;
      numbers.set(key(component, row.name), row.id);
      if (!documents.has(key(component, row.name))) documents.set(key(component, row.name), { component, table: row.name, entry: null as never });
    }
  }

  const tables: ImportTable[] = [...documents.entries()].map(([k, { component, table, entry }]) => {
    const tableNumber = numbers.get(k);
    const isUniform = uniform.has(k);
    const source: ImportTable = {
      component,
      table,
      count: async () => (entry ? countLines(await zip.stream(entry)) : 0),
      documents: () => (entry ? streamDocuments(zip, entry, isUniform) : emptyDocuments()),
    };
    if (tableNumber !== undefined) source.tableNumber = tableNumber;
    return source;
  });
  const storage: ImportStorage[] = [...storageLists.entries()].map(([component, entry]) => ({
    component,
    count: async () => countLines(await zip.stream(entry)),
    metadata: () => streamDocuments(zip, entry, false),
    files: storageFiles.get(component) ?? [],
  }));
  return { tables, storage };
}

async function* streamDocuments(zip: ZipReader, entry: ZipEntry, uniform: boolean): AsyncGenerator<Encoded> {
  yield* parsedLines(await zip.stream(entry), uniform);
}

async function* emptyDocuments(): AsyncGenerator<Encoded> {}
