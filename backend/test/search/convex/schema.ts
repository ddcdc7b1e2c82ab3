import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema({
  students: defineTable({
    name: v.string(),
    school: v.string(),
    grade: v.optional(v.number()),
    embedding: v.optional(v.array(v.float64())),
  })
    .index("by_school", ["school"])
    .searchIndex("search_name", { searchField: "name", filterFields: ["school", "grade"] })
    .vectorIndex("by_embedding", { vectorField: "embedding", dimensions: 3, filterFields: ["school", "grade"] }),
});
