import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema({
  papers: defineTable({ label: v.string(), file: v.id("_storage") }),
});
