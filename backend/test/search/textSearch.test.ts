// Full-text search on the engine in process: ranking, prefix matching of the
// last term, filter fields, Unicode names, transactional maintenance
// (patch, delete, rolled-back nested mutations) and pagination.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import schema from "./convex/schema.js";
import { startInProcessApp, type InProcessApp } from "../helpers/inProcessEngine.js";

const modules = import.meta.glob<Record<string, unknown>>("./convex/*.ts", { eager: true });

let app: InProcessApp;
let schoolCounter = 0;
/** A school per test keeps tests apart (it is the first filter field). */
const freshSchool = () => `school-${Date.now().toString(36)}-${schoolCounter++}`;
const search = (args: Record<string, unknown>) => app.call("query", "students:search", args) as Promise<string[]>;
const addAll = (school: string, names: string[], grade?: number) =>
  app.call("mutation", "students:addMany", { students: names.map((name) => (grade === undefined ? { name, school } : { name, school, grade })) });

beforeAll(async () => {
  app = await startInProcessApp(modules, schema);
});
afterAll(() => app?.close());

describe("text search", () => {
  it("ranks documents matching more and rarer terms first", async () => {
    const school = freshSchool();
    await addAll(school, ["Maria Garcia", "Maria Lopez Garcia", "Jose Garcia", "Ana Lopez", "Maria Maria Rodriguez"]);
    const results = await search({ text: "maria lopez", school });
    // Both terms beat one term; every result matches at least one term.
    expect(results[0]).toBe("Maria Lopez Garcia");
    expect(new Set(results)).toEqual(new Set(["Maria Garcia", "Maria Lopez Garcia", "Ana Lopez", "Maria Maria Rodriguez"]));
    expect(results).not.toContain("Jose Garcia");
  });

  it("matches the last term as a prefix, and only the last", async () => {
    const school = freshSchool();
    await addAll(school, ["Jonathan Smith", "Jon Smithers", "Joanna Smit"]);
    expect(new Set(await search({ text: "smit", school }))).toEqual(new Set(["Jonathan Smith", "Jon Smithers", "Joanna Smit"]));
    expect(await search({ text: "smith jon", school })).toEqual(expect.arrayContaining(["Jonathan Smith", "Jon Smithers"]));
    // "jon" is not the last term here, so it must match a whole word.
    const results = await search({ text: "jon smithers", school });
    expect(results[0]).toBe("Jon Smithers");
    expect(results).not.toContain("Jonathan Smith");
    expect(await search({ text: "", school })).toEqual([]);
  });

  it("applies filter fields inside the index, including an absent value", async () => {
    const school = freshSchool();
    const other = freshSchool();
    await addAll(school, ["Lee Park"], 3);
    await addAll(school, ["Lee Kim"], 4);
    await addAll(school, ["Lee Chan"]);
    await addAll(other, ["Lee Other"], 3);
    expect(new Set(await search({ text: "lee", school }))).toEqual(new Set(["Lee Park", "Lee Kim", "Lee Chan"]));
    expect(await search({ text: "lee", school, grade: 3 })).toEqual(["Lee Park"]);
    expect(await search({ text: "lee", school: other })).toEqual(["Lee Other"]);
  });

  it("folds accents and handles apostrophes and hyphens in names", async () => {
    const school = freshSchool();
    await addAll(school, ["José Álvarez", "Zoë O'Brien", "Jean-Luc Picard", "Seán Ó Briain"]);
    expect(await search({ text: "jose", school })).toEqual(["José Álvarez"]);
    expect(await search({ text: "ÁLVAREZ", school })).toEqual(["José Álvarez"]);
    expect(await search({ text: "zoe", school })).toEqual(["Zoë O'Brien"]);
    for (const text of ["O'Brien", "obrien", "brien", "O’Brien", "o'bri"]) {
      expect(await search({ text, school }), text).toContain("Zoë O'Brien");
    }
    for (const text of ["Jean-Luc", "jeanluc", "luc", "jean luc"]) {
      expect(await search({ text, school }), text).toEqual(["Jean-Luc Picard"]);
    }
    // All three terms match Seán Ó Briain; only "o" matches Zoë O'Brien.
    expect(await search({ text: "sean o briain", school })).toEqual(["Seán Ó Briain", "Zoë O'Brien"]);
  });

  it("follows patches, deletes and rolled-back nested mutations", async () => {
    const school = freshSchool();
    const id = await app.call("mutation", "students:add", { name: "Temporary Person", school });
    expect(await search({ text: "temporary", school })).toEqual(["Temporary Person"]);
    await app.call("mutation", "students:rename", { id, name: "Renamed Person" });
    expect(await search({ text: "temporary", school })).toEqual([]);
    expect(await search({ text: "renamed", school })).toEqual(["Renamed Person"]);
    await app.call("mutation", "students:remove", { id });
    expect(await search({ text: "person", school })).toEqual([]);

    await app.call("mutation", "students:addWithFailingChild", { name: "Outer Kept", childName: "Inner Dropped", school });
    expect(await search({ text: "kept", school })).toEqual(["Outer Kept"]);
    expect(await search({ text: "dropped", school })).toEqual([]);
  });

  it("paginates in relevance order", async () => {
    const school = freshSchool();
    await addAll(school, Array.from({ length: 25 }, (_, i) => `Pat Number${i}`));
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const result = (await app.call("query", "students:searchPage", { text: "pat", school, paginationOpts: { numItems: 10, cursor } })) as {
        page: string[];
        isDone: boolean;
        continueCursor: string;
      };
      seen.push(...result.page);
      if (result.isDone) break;
      cursor = result.continueCursor;
    }
    expect(seen.length).toBe(25);
    expect(new Set(seen).size).toBe(25);
  });
});
