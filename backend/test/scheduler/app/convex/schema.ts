import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema({
  events: defineTable({ label: v.string() }).index("by_label", ["label"]),
});
