// Operations through the real, unmodified Convex CLI against real backend
// processes: `convex run` (public, internal, with arguments, failing,
// component), `convex logs`, `convex data`, `convex export` / `convex import`
// (our own snapshot into a fresh backend, a hand-made Convex Cloud-style ZIP,
// convex-test-shaped JSON lines, the import modes), and the health and metrics
// endpoints. One backend serves the tests in order.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { crc32 } from "node:zlib";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { encodeDocumentId, newInternalId } from "../../src/values/ids.js";
import { startBackendProcess, type BackendProcess } from "../helpers/backendProcess.js";
import type { TempProject } from "../helpers/fixtureProject.js";
import { callFunction, cli, copyOperationsApp, deployOperationsApp, dumpTable, startOperationsBackend, streamCli } from "./opsHelpers.js";

/** A ZIP of stored (uncompressed) entries with sizes in the local headers: another producer than ours. */
function storedZip(files: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(files)) {
    const data = Buffer.from(text, "utf8");
    const nameBytes = Buffer.from(name, "utf8");
    const crc = crc32(data) >>> 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    locals.push(local, nameBytes, data);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const int64 = (n: bigint) => {
  const bytes = Buffer.alloc(8);
  bytes.writeBigInt64LE(n);
  return { $integer: bytes.toString("base64") };
};

describe("operations through the Convex CLI", () => {
  let project: TempProject;
  let backend: BackendProcess;
  const others: BackendProcess[] = [];
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "sems-ops-"));
  const itemIds: string[] = [];

  beforeAll(async () => {
    project = copyOperationsApp();
    backend = await startOperationsBackend(project);
  });

  afterAll(async () => {
    await Promise.all([backend, ...others].map((b) => b?.stop()));
    project?.remove();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  test("convex run: public with args, internal, failing, component", async () => {
    for (const [name, n] of [["alpha", 1], ["beta", 2], ["gamma", 3]] as const) {
      const added = await cli(backend, project, ["run", "ops:add", JSON.stringify({ name, n })]);
      const id = JSON.parse(added.stdout.trim()) as string;
      expect(id).toMatch(/^[0-9a-z]{31,37}$/);
      itemIds.push(id);
    }
    const note = await cli(backend, project, ["run", "ops:addNote", JSON.stringify({ item: itemIds[1], text: "second" })]);
    expect(JSON.parse(note.stdout.trim())).toMatch(/^[0-9a-z]+$/);

    const echoed = await cli(backend, project, ["run", "ops:echo", '{"value": {"a": [1, "two"]}}']);
    expect(echoed.stdout).toContain('"two"');

    const count = await cli(backend, project, ["run", "ops:count"]);
    expect(count.stdout.trim()).toBe("3");

    const failed = await cli(backend, project, ["run", "ops:fail"], true);
    expect(failed.exitCode).toBe(1);
    expect(failed.stderr).toContain("deliberate failure for the operations test");

    const component = await cli(backend, project, ["run", "--component", "presence", "public:list", '{"roomToken": ""}']);
    expect(component.stdout.trim()).toBe("[]");
    // A component mutation, so the component has data for the export below.
    await callFunction(backend, "public:heartbeat", { roomId: "room", userId: "u1", sessionId: "s1" }, "presence");
  });

  test("convex logs streams a mutation's console output with its function name", async () => {
    const logs = streamCli(backend, project, ["logs"]);
    try {
      await logs.waitFor((text) => text.includes("Watching logs"));
      // Let the CLI's first poll (the head cursor) come back before the mutation runs.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const marker = `marker-${Date.now()}`;
      await callFunction(backend, "ops:add", { name: marker, n: 4 });
      const text = await logs.waitFor((out) => out.includes(marker));
      const line = text.split("\n").find((l) => l.includes(marker))!;
      expect(line).toContain("[CONVEX M(ops:add)]");
      expect(line).toContain("[LOG]");
      await callFunction(backend, "ops:fail", {}).catch(() => {});
      await logs.waitFor((out) => out.includes("deliberate failure"));
    } finally {
      await logs.stop();
    }
  });

  test("convex data lists tables and shows documents", async () => {
    const tables = await cli(backend, project, ["data"]);
    expect(tables.stdout.split("\n").map((l) => l.trim())).toEqual(expect.arrayContaining(["items", "notes"]));
    const items = await cli(backend, project, ["data", "items", "--format", "jsonl"]);
    const rows = items.stdout.trim().split("\n");
    expect(rows).toHaveLength(4);
    expect(items.stdout).toContain('"gamma"');
    const componentTables = await cli(backend, project, ["data", "--component", "presence"]);
    expect(componentTables.stdout).toContain("sessions");
  });

  test("export, then import into a fresh backend: every document equal, ids and references valid", async () => {
    const zip = path.join(scratch, "snapshot.zip");
    await cli(backend, project, ["export", "--path", zip]);
    const listing = execFileSync("unzip", ["-Z1", zip], { encoding: "utf8" }).split("\n");
    expect(listing).toEqual(expect.arrayContaining(["_tables/documents.jsonl", "items/documents.jsonl", "items/generated_schema.jsonl", "_components/presence/sessions/documents.jsonl"]));
    // `unzip -t` checks every CRC: the archive is a standard ZIP.
    expect(execFileSync("unzip", ["-t", zip], { encoding: "utf8" })).toContain("No errors detected");

    const fresh = await startBackendProcess();
    others.push(fresh);
    await deployOperationsApp(fresh, project);
    const imported = await cli(fresh, project, ["import", "--yes", zip]);
    expect(imported.stderr).toMatch(/Added \d+ documents/);

    for (const [table, component] of [["items", ""], ["notes", ""], ["sessions", "presence"], ["roomTokens", "presence"]] as const) {
      const before = await dumpTable(backend, table, component);
      const after = await dumpTable(fresh, table, component);
      expect(before.length).toBeGreaterThan(0);
      expect(after).toEqual(before);
    }
    // The imported ids resolve in the new backend: a note's item reference still reaches the item.
    const [note] = await dumpTable(fresh, "notes");
    const item = await callFunction(fresh, "ops:getNoteItem", { note: note._id });
    expect(item.name).toBe("beta");
    expect(item.big).toEqual(int64(2_000_000_000_000n));
    // And new writes keep working next to the imported ids.
    await callFunction(fresh, "ops:add", { name: "after-import", n: 9 });
    expect(await dumpTable(fresh, "items")).toHaveLength(5);

    // Default mode refuses a non-empty table; --replace replaces; --append adds.
    const refused = await cli(fresh, project, ["import", "--yes", zip], true);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain("already exists");
    await cli(fresh, project, ["import", "--yes", "--replace", zip]);
    expect(await dumpTable(fresh, "items")).toEqual(await dumpTable(backend, "items"));
  });

  test("a ZIP made the way Convex Cloud makes one imports with ids, int64, bytes and floats intact", async () => {
    const itemsNumber = 10_042;
    const notesNumber = 10_043;
    const a = encodeDocumentId(itemsNumber, newInternalId());
    const b = encodeDocumentId(itemsNumber, newInternalId());
    const n = encodeDocumentId(notesNumber, newInternalId());
    const files = {
      "README.md": "# Welcome to your Convex snapshot export!\n",
      "_tables/documents.jsonl": `{"name":"items","id":${itemsNumber}}\n{"name":"notes","id":${notesNumber}}\n`,
      "items/generated_schema.jsonl": '"uniform"\n',
      "items/documents.jsonl":
        `{"_creationTime":1700000000000.5,"_id":"${a}","big":9007199254740993,"n":2.0,"name":"cloud-a","raw":{"$bytes":"AAEC"}}\n` +
        `{"_creationTime":1700000000001.25,"_id":"${b}","n":-0.5,"name":"cloud-b"}\n`,
      "notes/generated_schema.jsonl": '"uniform"\n',
      "notes/documents.jsonl": `{"_creationTime":1700000000002.0,"_id":"${n}","item":"${b}","text":"from the cloud"}\n`,
    };
    const zip = path.join(scratch, "cloud.zip");
    fs.writeFileSync(zip, storedZip(files));

    const fresh = await startBackendProcess();
    others.push(fresh);
    await deployOperationsApp(fresh, project);
    await cli(fresh, project, ["import", "--yes", zip]);
    const items = await dumpTable(fresh, "items");
    expect(items).toEqual([
      { _id: a, _creationTime: 1700000000000.5, big: int64(9007199254740993n), n: 2, name: "cloud-a", raw: { $bytes: "AAEC" } },
      { _id: b, _creationTime: 1700000000001.25, n: -0.5, name: "cloud-b" },
    ]);
    const item = await callFunction(fresh, "ops:getNoteItem", { note: n });
    expect(item._id).toBe(b);
  });

  test("convex-test-shaped JSON lines import into a table, with --append and --replace", async () => {
    const fresh = await startBackendProcess();
    others.push(fresh);
    const lines = [
      { _id: "0000000000000000000000000001items", _creationTime: 1700000000000, name: "t1", n: 1 },
      { _id: "0000000000000000000000000002items", _creationTime: 1700000000001, name: "t2", n: 2 },
    ];
    const file = path.join(scratch, "items.jsonl");
    fs.writeFileSync(file, lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
    await cli(fresh, project, ["import", "--yes", "--table", "items", file]);
    let items = await dumpTable(fresh, "items");
    expect(items.map((d) => [d.name, d.n, d._creationTime])).toEqual([["t1", 1, 1700000000000], ["t2", 2, 1700000000001]]);
    for (const doc of items) expect(doc._id).toMatch(/^[0-9a-z]{31,37}$/);

    const refused = await cli(fresh, project, ["import", "--yes", "--table", "items", file], true);
    expect(refused.stderr).toContain("Table items already exists");
    await cli(fresh, project, ["import", "--yes", "--append", "--table", "items", file]);
    expect(await dumpTable(fresh, "items")).toHaveLength(4);
    await cli(fresh, project, ["import", "--yes", "--replace", "--table", "items", file]);
    items = await dumpTable(fresh, "items");
    expect(items.map((d) => d.name)).toEqual(["t1", "t2"]);
  });

  test("health and admin-only metrics", async () => {
    const health = await fetch(`${backend.url}/health`);
    expect(health.status).toBe(200);
    const body = await health.json();
    expect(body).toMatchObject({ status: "ok", deployed: true });
    expect(BigInt(body.latestCommitTs)).toBeGreaterThan(0n);
    expect(body.uptimeSeconds).toBeGreaterThanOrEqual(0);

    expect((await fetch(`${backend.url}/api/sems/metrics`)).status).toBe(401);
    expect((await fetch(`${backend.url}/api/sems/metrics`, { headers: { authorization: "Convex wrong" } })).status).toBe(403);
    const metrics = await (await fetch(`${backend.url}/api/sems/metrics`, { headers: { authorization: `Convex ${backend.adminKey}` } })).json();
    const add = metrics.functions.find((f: { function: string }) => f.function === "ops:add");
    expect(add).toMatchObject({ udfType: "Mutation", totalSuccesses: 4, totalFailures: 0 });
    expect(add.window.p50Ms).toBeGreaterThan(0);
    expect(add.window.p99Ms).toBeGreaterThanOrEqual(add.window.p50Ms);
    const fail = metrics.functions.find((f: { function: string }) => f.function === "ops:fail");
    expect(fail.totalFailures).toBe(2);
    expect(metrics.functions.some((f: { function: string }) => f.function === "presence/public:heartbeat")).toBe(true);
  });
});
