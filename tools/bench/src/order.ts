import { type Target } from './targets';

/**
 * The targets of one repeat: rotated by the repeat, so drift on a noisy machine
 * spreads over every target instead of landing on one; but the traced targets
 * always run right beside plain `rest` (before it on odd repeats, after it on
 * even ones), since their claim is a ratio to it: a pair measured a minute apart
 * compares two moments of the machine as much as two builds.
 */
export function runOrder(chosen: readonly Target[], repeat: number): Target[] {
  const paired = new Set(['rest traced', 'rest sampled']);
  const rotated = chosen
    .map((_, i) => chosen[(i + repeat) % chosen.length]!)
    .filter((target) => !paired.has(target.name));
  const beside = chosen.filter((target) => paired.has(target.name));
  const at = rotated.findIndex((target) => target.name === 'rest');
  if (at === -1) return [...rotated, ...beside];
  return repeat % 2 === 0
    ? [...rotated.slice(0, at + 1), ...beside, ...rotated.slice(at + 1)]
    : [...rotated.slice(0, at), ...[...beside].reverse(), ...rotated.slice(at)];
}
