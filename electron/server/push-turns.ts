/**
 * A device sends its next push before the answer to the one before it comes back, so the server
 * parses and checks one batch while its database writes the one before. Pushes made with one
 * device credential take their turns in the order they reach this process: each waits for the one
 * before it to finish before its transaction starts. This orders nothing that correctness needs:
 * across server processes the database does (the device's row is locked for a push, and a push
 * that overtook the one it follows is refused as a gap, which the device simply sends again), and
 * here it keeps that refusal rare and holds no database connection while a push waits.
 */
export class PushTurns {
  private readonly last = new Map<string, Promise<void>>();

  /** Take a turn now, as the request arrives; `ready` settles when the pushes before it finished, `done` ends it. */
  take(key: string): { ready: Promise<void>; done: () => void } {
    const before = this.last.get(key) ?? Promise.resolve();
    let finish!: () => void;
    const mine = new Promise<void>((resolve) => (finish = resolve));
    this.last.set(key, mine);
    return {
      ready: before,
      done: () => {
        finish();
        if (this.last.get(key) === mine) this.last.delete(key);
      },
    };
  }

  /** Credentials with a push in progress (for tests: none is kept once its pushes are done). */
  get size(): number {
    return this.last.size;
  }
}
