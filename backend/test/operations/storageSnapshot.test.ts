// File storage through `npx convex export --include-file-storage` and
// `npx convex import`, with the real CLI against real backend processes:
// files of several content types (one > 1 MiB, one in a component) referenced
// from documents come out of one backend in Convex's ZIP layout and go into a
// fresh one with every document and file equal; the import modes; and a ZIP
// laid out as Convex Cloud writes one (its `_storage` numbered 540 in the app
// and in the component, as Cloud numbers `_file_storage`) imports too.
import { createHash, randomBytes } from "node:crypto";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { encodeDocumentId, newInternalId } from "../../src/values/ids.js";
import { ZipWriter } from "../../src/operations/zip/zipWriter.js";
import { startBackendProcess, type BackendProcess } from "../helpers/backendProcess.js";
import { copyFixtureProject, type TempProject } from "../helpers/fixtureProject.js";
import { callFunction, cli, deployOperationsApp, dumpTable } from "./opsHelpers.js";

const FILES_APP_DIR = path.join(path.dirname(new URL(import.meta.url).pathname), "filesApp");

interface Upload {
  name: string;
  bytes: Buffer;
  contentType: string | null;
  component: "" | "vault";
}

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest();

async function upload(backend: BackendProcess, file: Upload): Promise<string> {
  const url: string = await callFunction(backend, file.component ? "papers:generateUploadUrl" : "files:generateUploadUrl", {}, file.component);
  const response = await fetch(url, { method: "POST", body: new Uint8Array(file.bytes), headers: file.contentType ? { "content-type": file.contentType } : {} });
  expect(response.status).toBe(200);
  const { storageId } = (await response.json()) as { storageId: string };
  if (file.component) await callFunction(backend, "papers:file", { label: file.name, file: storageId }, "vault");
  else await callFunction(backend, "files:attach", { name: file.name, file: storageId });
  return storageId;
}

/** What the app sees of its files: the referencing documents, each file's `_storage` document, and its URL. */
async function filesSeen(backend: BackendProcess) {
  const attachments = await callFunction(backend, "files:attachments", {});
  const papers = await callFunction(backend, "papers:papers", {}, "vault");
  return [...attachments, ...papers] as { name?: string; label?: string; file: string; url: string | null; stored: Record<string, unknown> | null }[];
}

async function download(url: string): Promise<{ bytes: Buffer; contentType: string | null }> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return { bytes: Buffer.from(await response.arrayBuffer()), contentType: response.headers.get("content-type") };
}

function zipListing(zip: string): string[] {
  return execFileSync("unzip", ["-Z1", zip], { encoding: "utf8" }).split("\n").filter(Boolean);
}

function zipEntry(zip: string, name: string): Buffer {
  return execFileSync("unzip", ["-p", zip, name], { maxBuffer: 64 << 20 });
}

function blobCount(backend: BackendProcess): number {
  return fs.readdirSync(path.join(backend.dataDir, "blobs")).filter((name) => !name.startsWith(".")).length;
}

describe("file storage in snapshot export and import", () => {
  let project: TempProject;
  let source: BackendProcess;
  const others: BackendProcess[] = [];
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "sems-storage-ops-"));
  const uploads: (Upload & { id?: string })[] = [
    { name: "notes.txt", bytes: Buffer.from("IEP meeting notes\nline two\n"), contentType: "text/plain", component: "" },
    { name: "scan.png", bytes: randomBytes(1_500_000), contentType: "image/png", component: "" },
    { name: "raw.bin", bytes: randomBytes(4096), contentType: null, component: "" },
    { name: "report.pdf", bytes: Buffer.concat([Buffer.from("%PDF-1.4\n"), randomBytes(20_000)]), contentType: "application/pdf", component: "vault" },
  ];

  async function freshBackend(): Promise<BackendProcess> {
    const backend = await startBackendProcess();
    others.push(backend);
    await deployOperationsApp(backend, project);
    return backend;
  }

  beforeAll(async () => {
    project = copyFixtureProject(FILES_APP_DIR);
    source = await freshBackend();
    for (const file of uploads) file.id = await upload(source, file);
  });

  afterAll(async () => {
    await Promise.all(others.map((b) => b.stop()));
    project?.remove();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  test("export --include-file-storage writes Convex's _storage layout; a plain export has no files", async () => {
    const plain = path.join(scratch, "plain.zip");
    await cli(source, project, ["export", "--path", plain]);
    expect(zipListing(plain).filter((name) => name.includes("_storage"))).toEqual([]);

    const zip = path.join(scratch, "with-files.zip");
    await cli(source, project, ["export", "--include-file-storage", "--path", zip]);
    expect(execFileSync("unzip", ["-t", zip], { encoding: "utf8" })).toContain("No errors detected");
    const [txt, png, bin, pdf] = uploads;
    expect(zipListing(zip)).toEqual(
      expect.arrayContaining([
        "_storage/documents.jsonl",
        `_storage/${txt!.id}.txt`,
        `_storage/${png!.id}.png`,
        `_storage/${bin!.id}`,
        "_components/vault/_storage/documents.jsonl",
        `_components/vault/_storage/${pdf!.id}.pdf`,
        "_components/vault/papers/documents.jsonl",
      ]),
    );
    expect(zipEntry(zip, `_storage/${png!.id}.png`).equals(png!.bytes)).toBe(true);
    expect(zipEntry(zip, `_components/vault/_storage/${pdf!.id}.pdf`).equals(pdf!.bytes)).toBe(true);

    const stored = await callFunction(source, "files:storedFiles", {});
    const lines = zipEntry(zip, "_storage/documents.jsonl").toString("utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    for (const file of [txt!, png!, bin!]) {
      const line = lines.find((l) => l._id === file.id);
      const doc = stored.find((d: { _id: string }) => d._id === file.id);
      expect(line).toEqual({
        _id: file.id,
        _creationTime: doc._creationTime,
        sha256: sha256(file.bytes).toString("base64"),
        size: file.bytes.length,
        contentType: file.contentType,
        internalId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
      });
    }
  });

  test("import into a fresh backend: every document and every file equal, URLs serve the bytes", async () => {
    const zip = path.join(scratch, "with-files.zip");
    const target = await freshBackend();
    const imported = await cli(target, project, ["import", "--yes", zip]);
    expect(imported.stderr).toMatch(/Added \d+ documents/);

    expect(await dumpTable(target, "attachments")).toEqual(await dumpTable(source, "attachments"));
    expect(await dumpTable(target, "papers", "vault")).toEqual(await dumpTable(source, "papers", "vault"));
    expect(await callFunction(target, "files:storedFiles", {})).toEqual(await callFunction(source, "files:storedFiles", {}));
    expect(await callFunction(target, "papers:storedFiles", {}, "vault")).toEqual(await callFunction(source, "papers:storedFiles", {}, "vault"));

    const before = await filesSeen(source);
    const after = await filesSeen(target);
    expect(after.map(({ url: _url, ...rest }) => rest)).toEqual(before.map(({ url: _url, ...rest }) => rest));
    for (const file of uploads) {
      const seen = after.find((f) => f.file === file.id)!;
      expect(seen.url).toContain(target.url);
      const served = await download(seen.url!);
      expect(served.bytes.equals(file.bytes)).toBe(true);
      expect(served.contentType).toBe(file.contentType ?? "application/octet-stream");
      expect(seen.stored).toMatchObject({ sha256: sha256(served.bytes).toString("base64"), size: file.bytes.length });
      if (file.contentType) expect(seen.stored!.contentType).toBe(file.contentType);
      else expect(seen.stored).not.toHaveProperty("contentType");
    }
    expect(blobCount(target)).toBe(uploads.length);

    // New uploads keep working next to the imported files.
    const extra = await upload(target, { name: "later.txt", bytes: Buffer.from("later"), contentType: "text/plain", component: "" });
    const later = (await filesSeen(target)).find((f) => f.file === extra)!;
    expect((await download(later.url!)).bytes.toString()).toBe("later");

    // Default mode refuses existing data; --replace puts the snapshot's files back and drops the others.
    const refused = await cli(target, project, ["import", "--yes", zip], true);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain("already exists");
    await cli(target, project, ["import", "--yes", "--replace", zip]);
    expect(await callFunction(target, "files:storedFiles", {})).toEqual(await callFunction(source, "files:storedFiles", {}));
    for (const seen of await filesSeen(target)) {
      const file = uploads.find((u) => u.id === seen.file)!;
      expect((await download(seen.url!)).bytes.equals(file.bytes)).toBe(true);
    }
    // The replaced blobs (the imported ones and the later upload) are gone from disk.
    await expect.poll(() => blobCount(target)).toBe(uploads.length);
  });

  test("a Convex Cloud-style ZIP with _storage imports, renumbering the component's clashing storage ids", async () => {
    const CLOUD_FILE_STORAGE = 540; // 512 reserved + DefaultTableNumber::FileStorage (28) in convex-backend
    const rootFile = encodeDocumentId(CLOUD_FILE_STORAGE, newInternalId());
    const unlisted = encodeDocumentId(CLOUD_FILE_STORAGE, newInternalId());
    const vaultFile = encodeDocumentId(CLOUD_FILE_STORAGE, newInternalId());
    const attachment = encodeDocumentId(10001, newInternalId());
    const paper = encodeDocumentId(10001, newInternalId());
    const rootBytes = Buffer.from("<html>cloud</html>");
    const vaultBytes = randomBytes(70_000);
    const meta = (id: string, bytes: Buffer, contentType: string | null, internalId: string) =>
      JSON.stringify({ _id: id, _creationTime: 1700000000000.5, sha256: sha256(bytes).toString("base64"), size: bytes.length, contentType, internalId }) + "\n";

    const zip = path.join(scratch, "cloud.zip");
    const writer = await ZipWriter.create(zip);
    await writer.add("README.md", "# Welcome to your Convex snapshot export!\n");
    await writer.add("_tables/documents.jsonl", '{"name":"attachments","id":10001}\n');
    await writer.add("attachments/generated_schema.jsonl", '"uniform"\n');
    await writer.add("attachments/documents.jsonl", `{"_creationTime":1700000000001.0,"_id":"${attachment}","file":"${rootFile}","name":"cloud page"}\n`);
    await writer.add("_components/vault/_tables/documents.jsonl", '{"name":"papers","id":10001}\n');
    await writer.add("_components/vault/papers/generated_schema.jsonl", '"uniform"\n');
    await writer.add("_components/vault/papers/documents.jsonl", `{"_creationTime":1700000000002.0,"_id":"${paper}","file":"${vaultFile}","label":"cloud paper"}\n`);
    await writer.add("_storage/documents.jsonl", meta(rootFile, rootBytes, "text/html", "0b8c1a52-6f0e-4f53-9c57-2a2d3c4e5f60"));
    await writer.add(`_storage/${rootFile}.html`, rootBytes);
    await writer.add(`_storage/${unlisted}`, Buffer.from("no listing"));
    await writer.add("_components/vault/_storage/documents.jsonl", meta(vaultFile, vaultBytes, "application/octet-stream", "1c9d2b63-7a1f-4a64-8d68-3b3e4d5f6a71"));
    await writer.add(`_components/vault/_storage/${vaultFile}.bin`, vaultBytes);
    await writer.close();

    const target = await freshBackend();
    await cli(target, project, ["import", "--yes", zip]);
    const [page] = await callFunction(target, "files:attachments", {});
    expect(page).toMatchObject({ name: "cloud page", file: rootFile, stored: { _id: rootFile, _creationTime: 1700000000000.5, contentType: "text/html" } });
    expect(page.url).toBe(`${target.url}/api/storage/0b8c1a52-6f0e-4f53-9c57-2a2d3c4e5f60`);
    expect((await download(page.url)).bytes.equals(rootBytes)).toBe(true);
    const stored = await callFunction(target, "files:storedFiles", {});
    expect(stored.map((d: { _id: string }) => d._id).sort()).toEqual([rootFile, unlisted].sort());

    // The component's `_storage` could not also be number 540 here: its ids and the reference to them were re-encoded together.
    const [filed] = await callFunction(target, "papers:papers", {}, "vault");
    expect(filed.label).toBe("cloud paper");
    expect(filed.file).not.toBe(vaultFile);
    expect(filed.stored).toMatchObject({ _id: filed.file, size: vaultBytes.length, sha256: sha256(vaultBytes).toString("base64") });
    expect((await download(filed.url)).bytes.equals(vaultBytes)).toBe(true);
  });

  test("a file whose bytes do not match its sha256 fails the import and leaves nothing behind", async () => {
    const id = encodeDocumentId(540, newInternalId());
    const zip = path.join(scratch, "corrupt.zip");
    const writer = await ZipWriter.create(zip);
    await writer.add("_storage/documents.jsonl", JSON.stringify({ _id: id, sha256: sha256(Buffer.from("expected")).toString("base64"), size: 8 }) + "\n");
    await writer.add(`_storage/${id}`, Buffer.from("tampered"));
    await writer.close();
    const target = await freshBackend();
    const failed = await cli(target, project, ["import", "--yes", zip], true);
    expect(failed.exitCode).toBe(1);
    expect(failed.stderr).toContain("Sha256 mismatch");
    expect(await callFunction(target, "files:storedFiles", {})).toEqual([]);
    expect(blobCount(target)).toBe(0);
  });

  test("--append adds a snapshot's files to existing ones", async () => {
    const target = await freshBackend();
    const own = await upload(target, { name: "own.txt", bytes: Buffer.from("own"), contentType: "text/plain", component: "" });
    const zip = path.join(scratch, "files-only.zip");
    const writer = await ZipWriter.create(zip);
    const id = encodeDocumentId(777, newInternalId());
    await writer.add("_storage/documents.jsonl", JSON.stringify({ _id: id, _creationTime: 1700000000003, contentType: "text/plain" }) + "\n");
    await writer.add(`_storage/${id}.txt`, Buffer.from("appended"));
    await writer.close();
    const refused = await cli(target, project, ["import", "--yes", zip], true);
    expect(refused.stderr).toContain("Table _storage already exists");
    await cli(target, project, ["import", "--yes", "--append", zip]);
    const stored = await callFunction(target, "files:storedFiles", {});
    expect(stored).toHaveLength(2);
    expect(stored.map((d: { _id: string }) => d._id)).toContain(own);
    const appended = stored.find((d: { _id: string }) => d._id !== own);
    expect(appended).toMatchObject({ _creationTime: 1700000000003, size: 8, contentType: "text/plain" });
  });
});
