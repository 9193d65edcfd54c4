/** A lazily loaded part of the app is tried again before the app gives up on it (pure: src/lib/lazy.ts). */
import { describe, expect, it, vi } from 'vitest';
import { retrying } from '../src/lib/lazy.ts';

const failing = (times: number) => {
  let calls = 0;
  return {
    load: async () => {
      calls += 1;
      if (calls <= times) throw new TypeError(`Failed to fetch dynamically imported module (try ${calls})`);
      return { default: 'the chunk' };
    },
    calls: () => calls,
  };
};

describe('retrying a chunk', () => {
  it('comes back with the chunk when a later try works', async () => {
    const chunk = failing(3);
    await expect(retrying(chunk.load, [0, 0, 0])).resolves.toEqual({ default: 'the chunk' });
    expect(chunk.calls()).toBe(4);
  });

  it('gives up after the last wait with the last failure, and does not try a working chunk twice', async () => {
    const broken = failing(10);
    await expect(retrying(broken.load, [0, 0, 0])).rejects.toThrow('(try 4)');
    expect(broken.calls()).toBe(4);
    const fine = failing(0);
    await retrying(fine.load, [0, 0, 0]);
    expect(fine.calls()).toBe(1);
  });

  it('waits between tries as it is told (on a fake clock)', async () => {
    vi.useFakeTimers();
    try {
      const chunk = failing(2);
      const done = retrying(chunk.load, [500, 1000]);
      await vi.advanceTimersByTimeAsync(499);
      expect(chunk.calls()).toBe(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(chunk.calls()).toBe(2);
      await vi.advanceTimersByTimeAsync(999);
      expect(chunk.calls()).toBe(2);
      await vi.advanceTimersByTimeAsync(1);
      await expect(done).resolves.toEqual({ default: 'the chunk' });
      expect(chunk.calls()).toBe(3);
    } finally {
      vi.useRealTimers();
    }
  });
});
