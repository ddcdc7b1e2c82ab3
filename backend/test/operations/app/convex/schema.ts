import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema({
  items: defineTable({
    name: v.string(),
    n: v.number(),
    big: v.optional(v.int64()),
    raw: v.optional(v.bytes()),
  }).index("by_name", ["name"]),
  notes: defineTable({ item: v.id("items"), text: v.string() }),
});
