/**
 * Discrete-event virtual time: `sleep(ms)` returns at once in real time, but wakes sleepers strictly in the order of
 * their virtual deadlines, and `now()` reads the deadline of the last one woken. Concurrent workers therefore see the
 * instants they would see for real (a pacer's slots, backoffs, simulated latencies), and a sync of thousands of
 * calls that would take minutes runs in well under a second. Used by the schedule-sync benchmark and its tests.
 */
export class VirtualTimers {
  private current: number;
  private readonly pending: Array<{ readonly at: number; readonly seq: number; readonly wake: () => void }> =
    [];
  private seq = 0;
  private scheduled = false;

  constructor(start = 0) {
    this.current = start;
  }

  /** The virtual time, ms. */
  now(): number {
    return this.current;
  }

  /** Waits `ms` of virtual time. */
  sleep(ms: number): Promise<void> {
    return new Promise((wake) => {
      this.pending.push({ at: this.current + Math.max(0, ms), seq: this.seq++, wake });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // setImmediate runs after every microtask, so every sleeper that is about to register has done so.
    setImmediate(() => {
      this.scheduled = false;
      this.pending.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.pending.shift();
      if (next === undefined) return;
      this.current = Math.max(this.current, next.at);
      next.wake();
      if (this.pending.length > 0) this.schedule();
    });
  }
}
