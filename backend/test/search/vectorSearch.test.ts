// Vector search through `ctx.vectorSearch` in an action, on the engine in process.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import schema from "./convex/schema.js";
import { startInProcessApp, type InProcessApp } from "../helpers/inProcessEngine.js";
import { installVectorSearch } from "../../src/search/vectorSearch.js";

const modules = import.meta.glob<Record<string, unknown>>("./convex/*.ts", { eager: true });

let app: InProcessApp;
const ids: Record<string, string> = {};
beforeAll(async () => {
  app = await startInProcessApp(modules, schema);
  installVectorSearch(app.engine);
  const rows: [string, string, number[] | undefined][] = [
    ["east", "a", [1, 0, 0]],
    ["northeast", "a", [1, 1, 0]],
    ["north", "b", [0, 1, 0]],
    ["west", "b", [-1, 0, 0]],
    ["up", "c", [0, 0, 2]],
    ["none", "a", undefined],
  ];
  for (const [name, school, embedding] of rows) {
    ids[name] = (await app.call("mutation", "students:add", embedding ? { name, school, embedding } : { name, school })) as string;
  }
});
afterAll(() => app?.close());

type Hit = { _id: string; _score: number };
const similar = (args: Record<string, unknown>) => app.call("action", "students:similar", args) as Promise<Hit[]>;
const names = (hits: Hit[]) => hits.map((h) => Object.keys(ids).find((k) => ids[k] === h._id));

describe("vector search", () => {
  it("orders by cosine similarity with exact scores", async () => {
    const hits = await similar({ vector: [1, 0.1, 0] });
    expect(names(hits)).toEqual(["east", "northeast", "north", "up", "west"]);
    expect(hits[0]._score).toBeCloseTo(1 / Math.sqrt(1.01), 10);
    expect(hits[1]._score).toBeCloseTo(1.1 / (Math.sqrt(2) * Math.sqrt(1.01)), 10);
    expect(hits[4]._score).toBeCloseTo(-1 / Math.sqrt(1.01), 10);
  });

  it("applies limit and filters ($eq, $or)", async () => {
    expect(names(await similar({ vector: [0, 1, 0], limit: 2 }))).toEqual(["north", "northeast"]);
    expect(names(await similar({ vector: [0, 1, 0], school: "a" }))).toEqual(["northeast", "east"]);
    expect(names(await similar({ vector: [0, 0, 1], schools: ["b", "c"] }))).toEqual(["up", "north", "west"]);
  });

  it("refuses bad dimensions, limits and unknown indexes", async () => {
    await expect(similar({ vector: [1, 0] })).rejects.toThrow(/3 dimensions/);
    await expect(similar({ vector: [1, 0, 0], limit: 257 })).rejects.toThrow(/between 1 and 256/);
  });
});
