import { describe, expect, it } from 'vitest';
import {
  assertTransition,
  canTransition,
  type ReconnectState,
  readyStateOf,
  STATE_TRANSITIONS,
} from './state-machine.js';

const states: ReconnectState[] = ['connecting', 'open', 'closing', 'waiting', 'closed'];

describe('state machine', () => {
  it('maps states onto WHATWG readyState', () => {
    expect(states.map(readyStateOf)).toEqual([0, 1, 2, 0, 3]);
  });

  it('never goes from waiting or closing straight to open, nor from closed to open', () => {
    expect(canTransition('waiting', 'open')).toBe(false);
    expect(canTransition('closing', 'open')).toBe(false);
    expect(canTransition('closed', 'open')).toBe(false);
    expect(() => assertTransition('closed', 'closing')).toThrow(/illegal state transition closed → closing/);
  });

  it('lets close end the loop from every state, and reconnect start it from every state', () => {
    for (const state of states) {
      if (state !== 'closed') expect(STATE_TRANSITIONS[state]).toContain('closed');
      expect(STATE_TRANSITIONS[state]).toContain('connecting');
    }
  });
});
