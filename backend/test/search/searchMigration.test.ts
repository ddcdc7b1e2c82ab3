// Pushing a schema that adds a search index backfills it from the documents
// already stored; one that removes it drops its FTS5 table; changing its
// fields rebuilds it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import schema from "./convex/schema.js";
import type { DatabaseSchema } from "../../src/database/schema.js";
import { startInProcessApp, type InProcessApp } from "../helpers/inProcessEngine.js";

const modules = import.meta.glob<Record<string, unknown>>("./convex/*.ts", { eager: true });
const full = JSON.parse((schema as unknown as { export(): string }).export()) as DatabaseSchema;

function withSearchIndexes(indexes: NonNullable<DatabaseSchema["tables"][number]["searchIndexes"]>): DatabaseSchema {
  return { ...full, tables: full.tables.map((t) => ({ ...t, searchIndexes: indexes })) };
}

let app: InProcessApp;
const push = (json: DatabaseSchema) => app.engine.deploy(app.engine.loadedDeployment, new Map([["", json]]));
/** The FTS5 tables in the database (virtual tables; their shadow tables are ordinary ones). */
const ftsTables = () =>
  app.engine.writer.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'").pluck().all() as string[];

beforeAll(async () => {
  app = await startInProcessApp(modules, schema);
});
afterAll(() => app?.close());

describe("search index migrations", () => {
  it("backfills, rebuilds and drops search indexes with the pushed schema", async () => {
    const report = await push(withSearchIndexes([]));
    expect(report.get("")!.indexesRemoved).toEqual(["students.search_name"]);
    expect(ftsTables()).toEqual([]);
    await app.call("mutation", "students:addMany", {
      students: [
        { name: "Existing Student", school: "s1", grade: 1 },
        { name: "Another Existing", school: "s2", grade: 1 },
      ],
    });

    const added = await push(withSearchIndexes([{ indexDescriptor: "search_name", searchField: "name", filterFields: ["school", "grade"] }]));
    expect(added.get("")!.indexesAdded).toEqual(["students.search_name"]);
    expect(ftsTables()).toHaveLength(1);
    expect(new Set((await app.call("query", "students:search", { text: "existing" })) as string[])).toEqual(new Set(["Existing Student", "Another Existing"]));
    expect(await app.call("query", "students:search", { text: "existing", school: "s2" })).toEqual(["Another Existing"]);

    // The same definition again: nothing to do.
    expect((await push(withSearchIndexes([{ indexDescriptor: "search_name", searchField: "name", filterFields: ["school", "grade"] }]))).get("")!.indexesAdded).toEqual([]);

    // A changed filter list rebuilds the table from the documents.
    const changed = await push(withSearchIndexes([{ indexDescriptor: "search_name", searchField: "name", filterFields: ["school"] }]));
    expect(changed.get("")!.indexesAdded).toEqual(["students.search_name"]);
    expect(changed.get("")!.indexesRemoved).toEqual(["students.search_name"]);
    expect(await app.call("query", "students:search", { text: "student", school: "s1" })).toEqual(["Existing Student"]);
    await expect(app.call("query", "students:search", { text: "student", school: "s1", grade: 1 })).rejects.toThrow(/not one of the index's filter fields/);

    await push(full);
  });

  it("refuses searches on undeclared indexes or fields", async () => {
    await expect(app.call("query", "students:search", { text: "x", grade: 2 })).resolves.toEqual([]);
    const withoutIndex = await push(withSearchIndexes([]));
    expect(withoutIndex.get("")!.indexesRemoved).toContain("students.search_name");
    await expect(app.call("query", "students:search", { text: "x" })).rejects.toThrow(/Index students.search_name not found/);
    await push(full);
  });
});
