// Better Auth's tables for SEMS's options (auth.ts: email and password, convex() JWT plugin,
// cross-domain, two-factor, rate limits in the database). Written from better-auth's
// getAuthTables() for those options; indexes as the packaged component has them. Dates are
// milliseconds. Regenerate when a plugin is added or better-auth is upgraded.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

const optionalString = v.optional(v.union(v.null(), v.string()));
const optionalNumber = v.optional(v.union(v.null(), v.number()));
const optionalBoolean = v.optional(v.union(v.null(), v.boolean()));

export const tables = {
  user: defineTable({
    name: v.string(),
    email: v.string(),
    emailVerified: v.boolean(),
    image: optionalString,
    createdAt: v.number(),
    updatedAt: v.number(),
    userId: optionalString,
    twoFactorEnabled: optionalBoolean,
  })
    .index("email_name", ["email", "name"])
    .index("name", ["name"])
    .index("userId", ["userId"]),
  session: defineTable({
    expiresAt: v.number(),
    token: v.string(),
    createdAt: v.number(),
    updatedAt: v.number(),
    ipAddress: optionalString,
    userAgent: optionalString,
    userId: v.string(),
  })
    // eslint-disable-next-line @convex-dev/no-duplicate-indexes -- Better Auth's adapter queries both by name
    .index("expiresAt", ["expiresAt"])
    .index("expiresAt_userId", ["expiresAt", "userId"])
    .index("token", ["token"])
    .index("userId", ["userId"]),
  account: defineTable({
    accountId: v.string(),
    providerId: v.string(),
    userId: v.string(),
    accessToken: optionalString,
    refreshToken: optionalString,
    idToken: optionalString,
    accessTokenExpiresAt: optionalNumber,
    refreshTokenExpiresAt: optionalNumber,
    scope: optionalString,
    password: optionalString,
    createdAt: v.number(),
    updatedAt: v.number(),
  })
    // eslint-disable-next-line @convex-dev/no-duplicate-indexes -- Better Auth's adapter queries both by name
    .index("accountId", ["accountId"])
    .index("accountId_providerId", ["accountId", "providerId"])
    .index("providerId_userId", ["providerId", "userId"])
    .index("userId", ["userId"]),
  verification: defineTable({
    identifier: v.string(),
    value: v.string(),
    expiresAt: v.number(),
    createdAt: v.number(),
    updatedAt: v.number(),
  })
    .index("expiresAt", ["expiresAt"])
    .index("identifier", ["identifier"]),
  twoFactor: defineTable({
    secret: v.string(),
    backupCodes: v.string(),
    userId: v.string(),
    verified: optionalBoolean,
    failedVerificationCount: optionalNumber,
    lockedUntil: optionalNumber,
  })
    .index("secret", ["secret"])
    .index("userId", ["userId"]),
  jwks: defineTable({
    publicKey: v.string(),
    privateKey: v.string(),
    createdAt: v.number(),
    expiresAt: optionalNumber,
  }),
  rateLimit: defineTable({
    key: v.string(),
    count: v.number(),
    lastRequest: v.number(),
  }).index("key", ["key"]),
};

const schema = defineSchema(tables);

export default schema;
