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
  // Search and vector search (backend/src/search).
  people: defineTable({
    name: v.string(),
    group: v.string(),
    embedding: v.optional(v.array(v.float64())),
  })
    .searchIndex("search_name", { searchField: "name", filterFields: ["group"] })
    .vectorIndex("by_embedding", { vectorField: "embedding", dimensions: 2, filterFields: ["group"] }),
  // File storage (backend/src/fileStorage): a document pointing at a stored file.
  attachments: defineTable({
    file: v.id("_storage"),
  }),
});
