import { type Target } from './targets';

/**
 * The targets of one repeat: rotated by the repeat, so drift on a noisy machine
 * spreads over every target instead of landing on one; but a target measured
 * as a ratio to another (`pairedWith`) always runs right beside it (after it
 * on even repeats, before it and reversed on odd ones), since a pair measured
 * a minute apart compares two moments of the machine as much as two builds.
 */
export function runOrder(chosen: readonly Target[], repeat: number): Target[] {
  const present = new Set(chosen.map((target) => target.name));
  const follows = (target: Target) =>
    target.pairedWith !== undefined && present.has(target.pairedWith);
  const rotated = chosen
    .map((_, i) => chosen[(i + repeat) % chosen.length]!)
    .filter((target) => !follows(target));
  return rotated.flatMap((target) => {
    const beside = chosen.filter((other) => follows(other) && other.pairedWith === target.name);
    if (beside.length === 0) return [target];
    return repeat % 2 === 0 ? [target, ...beside] : [...beside.reverse(), target];
  });
}
