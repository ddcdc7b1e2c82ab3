// Waiting for the other thread in a round trip (a syscall's reply, a worker's
// next message, the next run of a mutation group). Atomics.wait alone puts the
// thread to sleep, and waking it (futex, inter-processor interrupt, a core
// leaving its idle state) costs tens of microseconds — more than the work on
// the other side of most round trips. So the waiter first spins for a few
// tens of microseconds, which covers a typical syscall, and only then sleeps.
// The spin is short enough that a thread with nothing to wait for gives its
// core back almost at once.

/**
 * How long a worker spins for a reply or its next run: about one database
 * syscall, or the main thread's work between two mutations of a group.
 */
export const WORKER_SPIN_MS = 0.1;
/**
 * The main thread spins less: on a loaded machine its spinning would take the
 * core the worker it waits for needs.
 */
export const MAIN_SPIN_MS = 0.03;

/**
 * Waits until `cells[index]` is no longer `value`, or `timeoutMs` passes.
 * Returns false on timeout.
 */
export function spinThenWait(cells: Int32Array, index: number, value: number, spinMs: number, timeoutMs: number = Infinity): boolean {
  const start = performance.now();
  const spinUntil = start + Math.min(spinMs, timeoutMs);
  do {
    if (Atomics.load(cells, index) !== value) return true;
  } while (performance.now() < spinUntil);
  const left = timeoutMs === Infinity ? Infinity : timeoutMs - (performance.now() - start);
  if (left <= 0) return Atomics.load(cells, index) !== value;
  return Atomics.wait(cells, index, value, left) !== "timed-out";
}
