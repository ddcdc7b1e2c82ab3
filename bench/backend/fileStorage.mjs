// File storage throughput: upload (POST /api/storage/upload) and download (the
// getUrl URL) of a 50 MiB file over loopback, beside a bare Node HTTP server
// doing the same stream copies (request → file, file → response) on this
// machine. The reference does not fsync; the backend does (an acknowledged
// upload survives a crash), so the comparison is strict.
// Target (issue 4): at least 50% of the reference, both ways. Median of runs.
//
//   node bench/backend/fileStorage.mjs [--runs 5] [--mib 50]
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import { ConvexHttpClient } from "convex/browser";
import { makeFunctionReference } from "convex/server";
import { deploy, median, root, startBackend } from "../lib/backend.mjs";

const { values } = parseArgs({ options: { runs: { type: "string", default: "5" }, mib: { type: "string", default: "50" } } });
const RUNS = Number(values.runs);
const SIZE = Number(values.mib) * 1024 * 1024;

function writeApp() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sems-bench-files-"));
  fs.mkdirSync(path.join(dir, "convex"));
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "bench-files", private: true, type: "module", dependencies: { convex: "1.48.0" } }));
  fs.writeFileSync(
    path.join(dir, "convex", "files.js"),
    `import { mutationGeneric, queryGeneric } from "convex/server";
import { v } from "convex/values";
export const uploadUrl = mutationGeneric({ args: {}, handler: (ctx) => ctx.storage.generateUploadUrl() });
export const url = queryGeneric({ args: { id: v.string() }, handler: (ctx, { id }) => ctx.storage.getUrl(id) });
`,
  );
  fs.symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"), "dir");
  return dir;
}

function post(url, file) {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: "POST", headers: { "Content-Type": "application/octet-stream", "Content-Length": SIZE } }, (response) => {
      let body = "";
      response.on("data", (chunk) => (body += chunk));
      response.on("end", () => (response.statusCode === 200 ? resolve(body) : reject(new Error(`upload ${response.statusCode}: ${body}`))));
    });
    request.on("error", reject);
    fs.createReadStream(file, { highWaterMark: 1 << 20 }).pipe(request);
  });
}

function get(url) {
  return new Promise((resolve, reject) => {
    http
      .get(url, (response) => {
        let size = 0;
        response.on("data", (chunk) => (size += chunk.length));
        response.on("end", () => (size === SIZE ? resolve() : reject(new Error(`download got ${size} bytes`))));
      })
      .on("error", reject);
  });
}

async function timed(task) {
  const started = performance.now();
  await task();
  return SIZE / (1024 * 1024) / ((performance.now() - started) / 1000);
}

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "sems-bench-blob-"));
const source = path.join(scratch, "source.bin");
{
  const chunk = Buffer.alloc(1 << 20);
  const fd = fs.openSync(source, "w");
  for (let written = 0; written < SIZE; written += chunk.length) {
    for (let i = 0; i < chunk.length; i += 4) chunk.writeUInt32LE((Math.random() * 2 ** 32) >>> 0, i);
    fs.writeSync(fd, chunk, 0, Math.min(chunk.length, SIZE - written));
  }
  fs.closeSync(fd);
}

// The reference: a bare Node server streaming request → file and file → response.
const reference = http.createServer(async (request, response) => {
  if (request.method === "POST") {
    await pipeline(request, fs.createWriteStream(path.join(scratch, "copy.bin")));
    response.end("{}");
  } else {
    response.writeHead(200, { "Content-Length": SIZE, "Content-Type": "application/octet-stream" });
    await pipeline(fs.createReadStream(source, { highWaterMark: 1 << 20 }), response);
  }
});
await new Promise((resolve) => reference.listen(0, "127.0.0.1", resolve));
const referenceUrl = `http://127.0.0.1:${reference.address().port}/file`;

const backend = await startBackend();
deploy(backend, writeApp());
const client = new ConvexHttpClient(backend.url);

const rows = { backendUpload: [], backendDownload: [], referenceUpload: [], referenceDownload: [] };
for (let run = 1; run <= RUNS; run++) {
  rows.referenceUpload.push(await timed(() => post(referenceUrl, source)));
  rows.referenceDownload.push(await timed(() => get(referenceUrl)));
  const uploadUrl = await client.mutation(makeFunctionReference("files:uploadUrl"), {});
  let storageId;
  rows.backendUpload.push(await timed(async () => (storageId = JSON.parse(await post(uploadUrl, source)).storageId)));
  const downloadUrl = await client.query(makeFunctionReference("files:url"), { id: storageId });
  rows.backendDownload.push(await timed(() => get(downloadUrl)));
  console.log(
    `run ${run}: upload ${rows.backendUpload.at(-1).toFixed(0)} MiB/s (reference ${rows.referenceUpload.at(-1).toFixed(0)}), ` +
      `download ${rows.backendDownload.at(-1).toFixed(0)} MiB/s (reference ${rows.referenceDownload.at(-1).toFixed(0)})`,
  );
}
await backend.stop();
reference.close();
fs.rmSync(scratch, { recursive: true, force: true });

for (const direction of ["upload", "download"]) {
  const ours = median(rows[`backend${direction[0].toUpperCase()}${direction.slice(1)}`]);
  const theirs = median(rows[`reference${direction[0].toUpperCase()}${direction.slice(1)}`]);
  console.log(
    JSON.stringify({
      benchmark: `fileStorage.${direction}`,
      mib: SIZE / (1024 * 1024),
      runs: RUNS,
      backendMiBps: +ours.toFixed(1),
      referenceMiBps: +theirs.toFixed(1),
      ratio: +(ours / theirs).toFixed(2),
      target: "≥ 0.5 of a raw Node stream copy",
    }),
  );
}
