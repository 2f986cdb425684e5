import { runOrder } from './order';
import { type Target } from './targets';

const target = (name: string) => ({ name }) as Target;
const names = (targets: Target[]) => targets.map((t) => t.name);
const chosen = ['baseline', 'rest', 'rest 304', 'rest traced', 'rest sampled', 'soap'].map(target);

describe('the order of a repeat', () => {
  it('runs the traced targets right after plain REST on even repeats', () => {
    expect(names(runOrder(chosen, 0))).toEqual([
      'baseline',
      'rest',
      'rest traced',
      'rest sampled',
      'rest 304',
      'soap',
    ]);
  });

  it('runs them right before it, reversed, on odd repeats, so drift cancels over two', () => {
    expect(names(runOrder(chosen, 1))).toEqual([
      'rest sampled',
      'rest traced',
      'rest',
      'rest 304',
      'soap',
      'baseline',
    ]);
  });

  it('rotates every other target and keeps the pair together when REST wraps to the end', () => {
    expect(names(runOrder(chosen, 2))).toEqual([
      'rest 304',
      'soap',
      'baseline',
      'rest',
      'rest traced',
      'rest sampled',
    ]);
    expect(runOrder(chosen, 3)).toHaveLength(chosen.length);
  });

  it('leaves the order rotated when REST is not among the targets', () => {
    const some = ['baseline', 'soap', 'graphql'].map(target);
    expect(names(runOrder(some, 1))).toEqual(['soap', 'graphql', 'baseline']);
  });
});
