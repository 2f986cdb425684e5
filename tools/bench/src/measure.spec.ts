import { combined, compareRounds, type LoadResult, type Round } from './measure';

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

describe('variants against a reference, round by round', () => {
  const round = (entries: [string, number, number][]): Round =>
    new Map(entries.map(([name, ops, cpuMs]) => [name, { ops, cpuMs }]));

  it('takes the ratios of each round, over the same seconds, then their median', () => {
    const rows = compareRounds(
      [
        round([
          ['off', 1000, 200],
          ['on', 900, 225],
        ]),
        // A slow round for both: its ratio counts, not its level.
        round([
          ['on', 400, 120],
          ['off', 500, 125],
        ]),
        round([
          ['off', 1000, 200],
          ['on', 850, 204],
        ]),
      ],
      'off',
    );
    expect(rows).toHaveLength(1);
    const [on] = rows;
    expect(on!.variant).toBe('on');
    expect(on!.throughput).toEqual([0.9, 0.8, 0.85]);
    expect(on!.medianThroughput).toBeCloseTo(0.85);
    expect(on!.cpuMsPerOp).toEqual([0.25, 0.3, 0.24]);
    expect(on!.referenceCpuMsPerOp).toEqual([0.2, 0.25, 0.2]);
    // 1.25, 1.2 and 1.2: the median.
    expect(on!.medianCpuRatio).toBeCloseTo(1.2);
  });

  it('leaves out a round where either side made no call, and averages the middle two of an even count', () => {
    const [on] = compareRounds(
      [
        round([
          ['off', 100, 10],
          ['on', 90, 10],
        ]),
        round([
          ['off', 0, 0],
          ['on', 90, 10],
        ]),
        round([['on', 90, 10]]),
        round([
          ['off', 100, 10],
          ['on', 70, 10],
        ]),
      ],
      'off',
    );
    expect(on!.throughput).toEqual([0.9, 0.7]);
    expect(on!.medianThroughput).toBeCloseTo(0.8);
  });

  it('has no ratio at all when the reference never ran', () => {
    const [on] = compareRounds([round([['on', 90, 10]])], 'off');
    expect(on!.throughput).toEqual([]);
    expect(on!.medianThroughput).toBeNaN();
  });
});
