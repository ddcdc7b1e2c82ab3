// The deployment's environment variables (`npx convex env set/get/list/remove`,
// the dashboard's "Environment Variables"), stored in the backend's SQLite
// database and cached in memory: every change goes through this store.
// A change commits like a mutation and re-runs every subscription, since any
// function may read `process.env`.
import type { LocalEngine } from "../engine/localEngine.js";

export interface EnvVar {
  name: string;
  value: string;
}

export interface EnvVarChange {
  name: string;
  /** null removes the variable. */
  value: string | null;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS environment_variables (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`;

/** Convex's limits: names up to 40 characters, starting with a letter; values up to 8 KiB; 100 variables. */
const NAME_PATTERN = /^[a-zA-Z][a-zA-Z0-9_]*$/;
const MAX_NAME_LENGTH = 40;
const MAX_VALUE_BYTES = 8192;
const MAX_VARIABLES = 100;

export class EnvVarError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function checkEnvVarName(name: string): void {
  if (name.length === 0 || name.length > MAX_NAME_LENGTH || !NAME_PATTERN.test(name)) {
    throw new EnvVarError(
      "EnvVarNameInvalid",
      `Environment variable name ${JSON.stringify(name)} is invalid: it must be at most ${MAX_NAME_LENGTH} characters, start with a letter and contain only letters, numbers and underscores.`,
    );
  }
}

export class EnvironmentVariables {
  private readonly values = new Map<string, string>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly engine: LocalEngine) {
    engine.writer.exec(SCHEMA);
    for (const row of engine.writer.prepare("SELECT name, value FROM environment_variables").all() as EnvVar[]) {
      this.values.set(row.name, row.value);
    }
  }

  /** All variables, sorted by name. */
  list(): EnvVar[] {
    return [...this.values].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, value]) => ({ name, value }));
  }

  get(name: string): EnvVar | null {
    const value = this.values.get(name);
    return value === undefined ? null : { name, value };
  }

  /** name → value, for `process.env` and the push API. */
  asRecord(): Record<string, string> {
    return Object.fromEntries(this.values);
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Applies all changes atomically, or none (a bad name refuses the whole batch). */
  async update(changes: EnvVarChange[]): Promise<void> {
    const next = new Map(this.values);
    for (const change of changes) {
      if (typeof change?.name !== "string") throw new EnvVarError("InvalidEnvVarChange", "Each change needs a string `name`.");
      checkEnvVarName(change.name);
      if (change.value === null) {
        next.delete(change.name);
        continue;
      }
      if (typeof change.value !== "string") throw new EnvVarError("InvalidEnvVarChange", `The value of ${change.name} must be a string or null.`);
      if (Buffer.byteLength(change.value) > MAX_VALUE_BYTES) {
        throw new EnvVarError("EnvVarValueTooLarge", `Environment variable ${change.name} is too large: values are limited to ${MAX_VALUE_BYTES} bytes.`);
      }
      next.set(change.name, change.value);
    }
    if (next.size > MAX_VARIABLES) {
      throw new EnvVarError("TooManyEnvVars", `A deployment can have at most ${MAX_VARIABLES} environment variables.`);
    }
    await this.engine.writeTransaction(async (tx) => {
      const db = tx.store.db;
      const remove = db.prepare("DELETE FROM environment_variables WHERE name = ?");
      const upsert = db.prepare("INSERT INTO environment_variables (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value");
      for (const name of this.values.keys()) if (!next.has(name)) remove.run(name);
      for (const [name, value] of next) if (this.values.get(name) !== value) upsert.run(name, value);
      // Any query may have read process.env: re-run them all.
      tx.writeSet.invalidatesAll = true;
      // Swap inside the transaction's lock so functions that start after the commit see the new values.
      this.values.clear();
      for (const [name, value] of next) this.values.set(name, value);
    }).catch((error) => {
      // Rolled back: restore what the database still holds.
      this.values.clear();
      for (const row of this.engine.writer.prepare("SELECT name, value FROM environment_variables").all() as EnvVar[]) this.values.set(row.name, row.value);
      throw error;
    });
    for (const listener of this.listeners) listener();
  }
}
