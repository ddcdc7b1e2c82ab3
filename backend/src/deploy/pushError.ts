// An error the push API answers with a status and a `{code, message}` body —
// the shape the Convex CLI's `ThrowingFetchError` reads and prints as
// "<status> <statusText>: <code>: <message>".

export class PushError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "PushError";
  }
}

/** A refusal caused by what the user pushed (bad module, bad definition): the CLI waits for a file change. */
export function badPush(code: string, message: string): PushError {
  return new PushError(400, code, message);
}

/** The text of an error thrown by user code, with its stack when there is one. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}
