// Errors the database layer reports to user code, with Convex's messages.
export class DatabaseError extends Error {}
