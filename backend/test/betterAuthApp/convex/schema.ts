import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema({
  // Same table name as the widget component's: the two must never mix.
  items: defineTable({ label: v.string() }),
  events: defineTable({ kind: v.string(), detail: v.optional(v.string()) }),
});
