import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema({
  messages: defineTable({
    channel: v.string(),
    author: v.string(),
    body: v.string(),
    likes: v.number(),
    tags: v.optional(v.array(v.string())),
  })
    .index("by_channel", ["channel"])
    .index("by_channel_likes", ["channel", "likes"]),
  counters: defineTable({
    name: v.string(),
    value: v.number(),
  }).index("by_name", ["name"]),
  blobs: defineTable({
    data: v.any(),
  }),
});
