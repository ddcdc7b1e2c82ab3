// What a transaction read (index ranges) and what a commit wrote (index keys).
// A subscription must be re-run exactly when some written key falls inside a
// range it read — Convex's reactivity, by the same rule.
import type { ReadSet, WriteSet } from "../engine/contract.js";
import type { KeyRange } from "../storage/documentStore.js";

export class IndexWriteSet implements WriteSet {
  /** index id → keys written (old and new entries alike). */
  readonly keys = new Map<number, Buffer[]>();
  /** Set when the commit changed the catalog (a new table or index): every read set is then stale. */
  invalidatesAll = false;

  get isEmpty(): boolean {
    return this.keys.size === 0 && !this.invalidatesAll;
  }

  add(indexId: number, key: Buffer): void {
    let list = this.keys.get(indexId);
    if (!list) this.keys.set(indexId, (list = []));
    list.push(key);
  }

  addAll(other: IndexWriteSet): void {
    for (const [indexId, keys] of other.keys) for (const key of keys) this.add(indexId, key);
    this.invalidatesAll ||= other.invalidatesAll;
  }

  /** Length marker for savepoints: how many keys each index had. */
  mark(): Map<number, number> {
    return new Map([...this.keys].map(([id, list]) => [id, list.length]));
  }

  rollbackTo(mark: Map<number, number>): void {
    for (const [id, list] of this.keys) {
      const keep = mark.get(id) ?? 0;
      if (keep === 0) this.keys.delete(id);
      else list.length = keep;
    }
  }
}

export class IndexReadSet implements ReadSet {
  private readonly ranges = new Map<number, KeyRange[]>();

  add(range: KeyRange): void {
    let list = this.ranges.get(range.indexId);
    if (!list) this.ranges.set(range.indexId, (list = []));
    list.push(range);
  }

  intersects(writes: WriteSet): boolean {
    const written = (writes as IndexWriteSet).keys;
    if (!written || (writes as IndexWriteSet).invalidatesAll) return true;
    for (const [indexId, ranges] of this.ranges) {
      const keys = written.get(indexId);
      if (!keys) continue;
      for (const key of keys) {
        for (const range of ranges) {
          if (Buffer.compare(key, range.low) >= 0 && (range.high === null || Buffer.compare(key, range.high) < 0)) {
            return true;
          }
        }
      }
    }
    return false;
  }
}
