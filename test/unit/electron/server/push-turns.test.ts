import { describe, expect, it } from 'vitest';
import { PushTurns } from '../../../../electron/server/push-turns';

describe('push turns (one device credential, one server process)', () => {
  it('lets each push start its transaction only after the pushes that arrived before it finished, whatever order they get ready in', async () => {
    const turns = new PushTurns();
    const order: string[] = [];
    const first = turns.take('device-a');
    const second = turns.take('device-a');
    const other = turns.take('device-b');
    const third = turns.take('device-a');
    void third.ready.then(() => order.push('a3'));
    void second.ready.then(() => order.push('a2'));
    void other.ready.then(() => order.push('b1'));
    await first.ready;
    order.push('a1');
    await new Promise((r) => setTimeout(r, 10));
    // Another device's push never waits for this one's.
    expect([...order].sort()).toEqual(['a1', 'b1']);
    first.done();
    await second.ready;
    await new Promise((r) => setTimeout(r, 10));
    expect([...order].sort()).toEqual(['a1', 'a2', 'b1']);
    expect(order.indexOf('a2')).toBeGreaterThan(order.indexOf('a1'));
    second.done();
    await third.ready;
    expect(order.filter((x) => x.startsWith('a'))).toEqual(['a1', 'a2', 'a3']);
    // A push that failed ends its turn too (done in a finally); nothing is kept once all are done.
    third.done();
    other.done();
    expect(turns.size).toBe(0);
  });
});
