import { describe, expect, it } from 'vitest';
import { actorNamer } from './actors.ts';

describe('actorNamer', () => {
  const name = actorNamer(
    [{ id: 'u1', name: 'Tom Tech' }],
    [{ id: 't1', name: 'PSA bridge', role: 'technician' }],
    [
      { seq: 1, userId: 'u1', role: 'technician' },
      { seq: 10, userId: 'u1', role: 'manager' },
    ],
  );
  it('names a person with the role they held when the event happened', () => {
    expect(name('user:u1', 5)).toEqual({ name: 'Tom Tech', role: 'technician' });
    expect(name('user:u1', 10)).toEqual({ name: 'Tom Tech', role: 'manager' });
    expect(name('user:u1', 99)).toEqual({ name: 'Tom Tech', role: 'manager' });
  });
  it('names tokens, the PSA, offboard, and someone unknown without inventing a name', () => {
    expect(name('token:t1', 3)).toEqual({ name: 'API token "PSA bridge"', role: 'technician' });
    expect(name('system:psa:halo', 3)).toEqual({ name: 'The PSA', role: null });
    expect(name('system:scheduler', 3)).toEqual({ name: 'offboard', role: null });
    expect(name('user:gone', 3)).toEqual({ name: 'A person no longer listed', role: null });
  });
});
