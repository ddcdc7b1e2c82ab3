import { paginationOptsValidator } from "convex/server";
import { v } from "convex/values";
import { api } from "./_generated/api";
import { action, mutation, query } from "./_generated/server";

export const add = mutation({
  args: { name: v.string(), school: v.string(), grade: v.optional(v.number()), embedding: v.optional(v.array(v.float64())) },
  handler: (ctx, args) => ctx.db.insert("students", args),
});

export const addMany = mutation({
  args: { students: v.array(v.object({ name: v.string(), school: v.string(), grade: v.optional(v.number()) })) },
  handler: async (ctx, { students }) => {
    for (const student of students) await ctx.db.insert("students", student);
  },
});

export const rename = mutation({
  args: { id: v.id("students"), name: v.string() },
  handler: (ctx, { id, name }) => ctx.db.patch(id, { name }),
});

export const remove = mutation({
  args: { id: v.id("students") },
  handler: (ctx, { id }) => ctx.db.delete(id),
});

/** Inserts, then fails in a nested mutation that also inserts: only the outer insert stays. */
export const addWithFailingChild = mutation({
  args: { name: v.string(), childName: v.string(), school: v.string() },
  handler: async (ctx, args): Promise<string> => {
    await ctx.db.insert("students", { name: args.name, school: args.school });
    try {
      await ctx.runMutation(api.students.addThenFail, { name: args.childName, school: args.school });
    } catch {
      // expected
    }
    return "ok";
  },
});

export const addThenFail = mutation({
  args: { name: v.string(), school: v.string() },
  handler: async (ctx, args) => {
    await ctx.db.insert("students", args);
    throw new Error("rolled back");
  },
});

export const search = query({
  args: { text: v.string(), school: v.optional(v.string()), grade: v.optional(v.number()), limit: v.optional(v.number()) },
  handler: async (ctx, { text, school, grade, limit }) => {
    const results = await ctx.db
      .query("students")
      .withSearchIndex("search_name", (q) => {
        let f = q.search("name", text);
        if (school !== undefined) f = f.eq("school", school);
        if (grade !== undefined) f = f.eq("grade", grade);
        return f;
      })
      .take(limit ?? 100);
    return results.map((s) => s.name);
  },
});

export const searchPage = query({
  args: { text: v.string(), school: v.string(), paginationOpts: paginationOptsValidator },
  handler: async (ctx, { text, school, paginationOpts }) => {
    const page = await ctx.db
      .query("students")
      .withSearchIndex("search_name", (q) => q.search("name", text).eq("school", school))
      .paginate(paginationOpts);
    return { ...page, page: page.page.map((s) => s.name) };
  },
});

export const similar = action({
  args: { vector: v.array(v.float64()), school: v.optional(v.string()), schools: v.optional(v.array(v.string())), limit: v.optional(v.number()) },
  handler: async (ctx, { vector, school, schools, limit }) => {
    return ctx.vectorSearch("students", "by_embedding", {
      vector,
      limit,
      filter:
        schools !== undefined
          ? (q) => q.or(...schools.map((s) => q.eq("school", s)))
          : school !== undefined
            ? (q) => q.eq("school", school)
            : undefined,
    });
  },
});
