import { percentile } from './measure';
import { barChart, type Measurement, pairedRatio, repeatRatios, rows } from './report';

const run = (target: string, repeat: number, opsPerSec: number): Measurement => ({
  target,
  workload: 'books.get',
  repeat,
  opsPerSec,
  p50: 1,
  p95: 2,
  p99: 3,
  errors: 0,
  cpuMsPerOp: 0.5,
  peakRssMiB: 100 + repeat,
  requestBytes: 10,
  responseBytes: 20,
});

describe('the report', () => {
  it('takes the ratio to the baseline within each repeat, then the median', () => {
    // The machine slows down on repeat 1 for everyone: per-repeat ratios stay 0.5.
    const [, rest] = rows(
      [
        run('baseline', 0, 1000),
        run('rest', 0, 500),
        run('baseline', 1, 400),
        run('rest', 1, 200),
        run('baseline', 2, 900),
        run('rest', 2, 450),
      ],
      'books.get',
    );
    expect(rest).toMatchObject({ target: 'rest', ratio: 0.5, opsPerSec: 450, peakRssMiB: 102 });
  });

  it('compares two targets within each repeat, then takes the median', () => {
    const runs = [
      run('rest', 0, 1000),
      run('rest sampled', 0, 950),
      run('rest', 1, 500),
      run('rest sampled', 1, 480),
      run('rest', 2, 800),
      run('rest sampled', 2, 600),
    ];
    // Per repeat 0.95, 0.96 and 0.75: the median is 0.95, where the ratio of the
    // medians (600 / 800) would take repeat 2's bad moment for the whole.
    expect(pairedRatio(runs, 'books.get', 'rest sampled', 'rest')).toBeCloseTo(0.95);
    expect(pairedRatio(runs, 'books.get', 'rest sampled', 'soap')).toBeNaN();
    expect(repeatRatios(runs, 'books.get', 'rest sampled', 'rest')).toEqual([0.95, 0.96, 0.75]);
    expect(repeatRatios(runs, 'books.list', 'rest sampled', 'rest')).toEqual([]);
  });

  it('takes the median over the repeats that ran both targets only', () => {
    // The paired targets ran two more repeats than the baseline: those have no ratio to it.
    const runs = [
      run('baseline', 0, 2000),
      run('rest sampled', 0, 1000),
      run('baseline', 1, 2000),
      run('rest sampled', 1, 1200),
      run('rest sampled', 2, 100),
      run('rest sampled', 3, 100),
    ];
    expect(repeatRatios(runs, 'books.get', 'rest sampled', 'baseline')).toEqual([
      0.5,
      0.6,
      NaN,
      NaN,
    ]);
    expect(pairedRatio(runs, 'books.get', 'rest sampled', 'baseline')).toBeCloseTo(0.55);
    expect(rows(runs, 'books.get').find((row) => row.target === 'rest sampled')?.ratio).toBeCloseTo(
      0.55,
    );
  });

  it('draws one bar per label and escapes text', () => {
    const svg = barChart('a <b> & c', 'ops/s', [
      { label: 'baseline', value: 100 },
      { label: 'rest', value: 50 },
    ]);
    expect(svg.match(/<rect x=/g)).toHaveLength(2);
    expect(svg).toContain('a &lt;b> &amp; c');
  });

  it('reads percentiles off sorted latencies', () => {
    const sorted = Float64Array.from({ length: 100 }, (_, i) => i + 1);
    expect([50, 95, 99].map((p) => percentile(sorted, p))).toEqual([51, 96, 100]);
    expect(percentile(new Float64Array(), 50)).toBeNaN();
  });
});
