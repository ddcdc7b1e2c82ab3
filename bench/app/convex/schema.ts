import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema({
  items: defineTable({ group: v.number(), seq: v.number(), payload: v.string() }).index("by_group_seq", ["group", "seq"]),
  counters: defineTable({ name: v.string(), value: v.number() }).index("by_name", ["name"]),
});
