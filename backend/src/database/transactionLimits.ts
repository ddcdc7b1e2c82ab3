// Per-transaction read and write budgets, with Convex's limits and messages.
import { LIMIT_MESSAGES, LIMITS } from "../values/limits.js";
import { DatabaseError } from "./errors.js";

export class TransactionLimitError extends DatabaseError {}

export class TransactionLimits {
  documentsRead = 0;
  bytesRead = 0;
  documentsWritten = 0;
  bytesWritten = 0;

  recordRead(bytes: number): void {
    this.documentsRead++;
    this.bytesRead += bytes;
    if (this.documentsRead > LIMITS.documentsReadPerTransaction) throw new TransactionLimitError(LIMIT_MESSAGES.tooManyDocumentsRead());
    if (this.bytesRead > LIMITS.bytesReadPerTransaction) throw new TransactionLimitError(LIMIT_MESSAGES.tooManyBytesRead());
  }

  recordWrite(bytes: number): void {
    this.documentsWritten++;
    this.bytesWritten += bytes;
    if (this.documentsWritten > LIMITS.documentsWrittenPerTransaction) throw new TransactionLimitError(LIMIT_MESSAGES.tooManyWrites());
    if (this.bytesWritten > LIMITS.bytesWrittenPerTransaction) throw new TransactionLimitError(LIMIT_MESSAGES.tooManyBytesWritten());
  }
}
