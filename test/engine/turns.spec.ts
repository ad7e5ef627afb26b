import { expect } from 'chai';
import { Turns } from '../../server/engine/turns.js';

describe('engine/turns: one engine step per turn of the event loop', () => {
  it('should let what came in meanwhile run between two steps that waited together', async () => {
    // given two steps waiting for their turns at once
    const turns = new Turns();
    const order: string[] = [];
    const first = turns.next().then(() => {
      order.push('first');
      // an answer that is ready by the next turn of the loop (a timer stands in for the database's answer),
      // and a step that takes a while, like an engine's
      setTimeout(() => order.push('answer'), 1);
      for (const until = performance.now() + 5; performance.now() < until;);
    });
    const second = turns.next().then(() => order.push('second'));

    // when both have run
    await Promise.all([first, second]);

    // then the answer ran between them (back to back, the second step would have run first)
    expect(order).to.deep.equal(['first', 'answer', 'second']);
  });

  it('should give turns in the order they were asked for, and keep going when asked for again later', async () => {
    // given steps asked for together, and one asked for after they all ran
    const turns = new Turns();
    const order: number[] = [];
    await Promise.all([1, 2, 3, 4].map((n) => turns.next().then(() => order.push(n))));
    await turns.next().then(() => order.push(5));

    // then
    expect(order).to.deep.equal([1, 2, 3, 4, 5]);
  });
});
