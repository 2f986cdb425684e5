import { runOrder } from './order';
import { type Target } from './targets';

const target = (name: string, pairedWith?: string) => ({ name, pairedWith }) as Target;
const names = (targets: Target[]) => targets.map((t) => t.name);
const chosen = [
  target('baseline'),
  target('rest'),
  target('rest untraced'),
  target('rest traced', 'rest untraced'),
  target('rest sampled', 'rest untraced'),
  target('soap'),
];

describe('the order of a repeat', () => {
  it('runs the paired targets right after their reference on even repeats', () => {
    expect(names(runOrder(chosen, 0))).toEqual([
      'baseline',
      'rest',
      'rest untraced',
      'rest traced',
      'rest sampled',
      'soap',
    ]);
  });

  it('runs them right before it, reversed, on odd repeats, so drift cancels over two', () => {
    expect(names(runOrder(chosen, 1))).toEqual([
      'rest',
      'rest sampled',
      'rest traced',
      'rest untraced',
      'soap',
      'baseline',
    ]);
  });

  it('rotates every other target and keeps the pair together when the reference wraps to the end', () => {
    expect(names(runOrder(chosen, 3))).toEqual([
      'soap',
      'baseline',
      'rest',
      'rest sampled',
      'rest traced',
      'rest untraced',
    ]);
    expect(names(runOrder(chosen, 4))).toEqual([
      'soap',
      'baseline',
      'rest',
      'rest untraced',
      'rest traced',
      'rest sampled',
    ]);
  });

  it('rotates a paired target with the rest when its reference is not among the targets', () => {
    const some = [target('baseline'), target('rest traced', 'rest untraced'), target('soap')];
    expect(names(runOrder(some, 1))).toEqual(['rest traced', 'soap', 'baseline']);
  });
});
