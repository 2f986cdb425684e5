import { type Target } from './targets';

/**
 * The targets of one repeat, in the groups they run in: rotated by the
 * repeat, so drift on a noisy machine spreads over every target instead of
 * landing on one. A target measured as a ratio to another (`pairedWith`)
 * shares a group with it (after it on even repeats, before it and reversed on
 * odd ones): the members of a group run interleaved, a slice each in turn
 * (`slices`), since a pair measured a minute apart compares two moments of
 * the machine as much as two builds. Every other target is a group of one.
 */
export function runGroups(chosen: readonly Target[], repeat: number): Target[][] {
  const present = new Set(chosen.map((target) => target.name));
  const follows = (target: Target) =>
    target.pairedWith !== undefined && present.has(target.pairedWith);
  const rotated = chosen
    .map((_, i) => chosen[(i + repeat) % chosen.length]!)
    .filter((target) => !follows(target));
  return rotated.map((target) => {
    const beside = chosen.filter((other) => follows(other) && other.pairedWith === target.name);
    if (beside.length === 0) return [target];
    return repeat % 2 === 0 ? [target, ...beside] : [...beside.reverse(), target];
  });
}

/**
 * The turns of a group's interleaved run: `count` slices, each running every
 * member once, in the group's order on even slices and reversed on odd ones
 * (A B C, C B A, A B C, …), so that drift over the run, which would favour
 * whoever runs last in every slice, falls on each member alike.
 */
export function slices<T>(group: readonly T[], count: number): T[][] {
  return Array.from({ length: count }, (_, slice) =>
    slice % 2 === 0 ? [...group] : [...group].reverse(),
  );
}
