import { runGroups, slices } from './order';
import { type Target } from './targets';

const target = (name: string, pairedWith?: string) => ({ name, pairedWith }) as Target;
const names = (targets: Target[]) => targets.map((t) => t.name);
/** The targets of a repeat in the order their groups start. */
const runOrder = (targets: Target[], repeat: number) => runGroups(targets, repeat).flat();
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

describe('the groups of a repeat', () => {
  it('puts a reference and the targets paired with it in one group, every other target alone', () => {
    expect(runGroups(chosen, 0).map(names)).toEqual([
      ['baseline'],
      ['rest'],
      ['rest untraced', 'rest traced', 'rest sampled'],
      ['soap'],
    ]);
    expect(runGroups(chosen, 1).map(names)).toEqual([
      ['rest'],
      ['rest sampled', 'rest traced', 'rest untraced'],
      ['soap'],
      ['baseline'],
    ]);
  });
});

describe('the slices of a group', () => {
  it('runs every member once per slice, forwards and backwards in turn', () => {
    expect(slices(['a', 'b', 'c'], 4)).toEqual([
      ['a', 'b', 'c'],
      ['c', 'b', 'a'],
      ['a', 'b', 'c'],
      ['c', 'b', 'a'],
    ]);
  });

  it('gives each member as many turns as there are slices, a group of one too', () => {
    expect(slices(['a'], 3)).toEqual([['a'], ['a'], ['a']]);
    expect(slices(['a', 'b'], 0)).toEqual([]);
  });
});
