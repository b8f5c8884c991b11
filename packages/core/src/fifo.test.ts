import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Fifo } from './fifo.js';

describe('Fifo', () => {
  it('gives items back in the order they were pushed', () => {
    const queue = new Fifo<number>();
    for (let i = 0; i < 5; i++) queue.push(i);
    expect(queue.length).toBe(5);
    expect(queue.peek()).toBe(0);
    expect([queue.shift(), queue.shift()]).toEqual([0, 1]);
    expect(queue.toArray()).toEqual([2, 3, 4]);
    expect(queue.length).toBe(3);
    expect([queue.at(0), queue.at(2), queue.at(3), queue.at(-1)]).toEqual([2, 4, undefined, undefined]);
  });

  it('is empty again after the last item, and shift() on empty gives undefined', () => {
    const queue = new Fifo<string>();
    expect(queue.shift()).toBeUndefined();
    expect(queue.peek()).toBeUndefined();
    queue.push('a');
    expect(queue.shift()).toBe('a');
    expect(queue.length).toBe(0);
    expect(queue.shift()).toBeUndefined();
    queue.push('b');
    expect(queue.peek()).toBe('b');
  });

  it('clear() drops everything', () => {
    const queue = new Fifo<number>();
    for (let i = 0; i < 3000; i++) queue.push(i);
    for (let i = 0; i < 1500; i++) queue.shift();
    queue.clear();
    expect(queue.length).toBe(0);
    expect(queue.toArray()).toEqual([]);
    queue.push(7);
    expect(queue.shift()).toBe(7);
  });

  it('keeps order across compactions, under any mix of pushes and shifts', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -3, max: 2500 }), { maxLength: 30 }), (steps) => {
        const queue = new Fifo<number>();
        // The model is an array read from a moving start (its own shift() would be the slow part).
        const model: number[] = [];
        let front = 0;
        let next = 0;
        for (const step of steps) {
          if (step < 0) {
            queue.clear();
            front = model.length;
            continue;
          }
          // Push `step` items, then shift about two thirds of what is queued.
          for (let i = 0; i < step; i++) {
            queue.push(next);
            model.push(next++);
          }
          const shifts = Math.ceil(((model.length - front) * 2) / 3);
          for (let i = 0; i < shifts; i++) if (queue.shift() !== model[front++]) return false;
          if (queue.length !== model.length - front || queue.peek() !== model[front]) return false;
          const middle = (queue.length / 2) | 0;
          if (queue.at(middle) !== model[front + middle]) return false;
        }
        const rest = queue.toArray();
        return rest.length === model.length - front && rest.every((item, i) => item === model[front + i]);
      }),
      { numRuns: 200 },
    );
  });
});
