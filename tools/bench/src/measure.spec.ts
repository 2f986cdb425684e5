import { combined, type LoadResult } from './measure';

const run = (ops: number[], seconds: number, errors = 0, firstError?: string): LoadResult => ({
  ops: ops.length,
  errors,
  ...(firstError ? { firstError } : {}),
  seconds,
  latencies: Float64Array.from(ops).sort(),
});

describe('runs taken apart, as one', () => {
  it('sums the calls, errors and seconds and merges the latencies in order', () => {
    const one = combined([
      run([3, 1], 1),
      run([2, 5, 4], 1.5, 2, 'refused'),
      run([], 0.5, 1, 'later'),
    ]);
    expect(one.ops).toBe(5);
    expect(one.seconds).toBe(3);
    expect(one.errors).toBe(3);
    expect(one.firstError).toBe('refused');
    expect([...one.latencies]).toEqual([1, 2, 3, 4, 5]);
  });

  it('is the run itself when there is one', () => {
    const one = combined([run([2, 1], 6)]);
    expect(one).toEqual({
      ops: 2,
      errors: 0,
      firstError: undefined,
      seconds: 6,
      latencies: Float64Array.from([1, 2]),
    });
  });
});
