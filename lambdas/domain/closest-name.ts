/** "Did you mean …?" for a name someone typed: the known name closest to it, when one is close enough. */
import { closest, distance } from 'fastest-levenshtein';

/**
 * The candidate closest to `name` (edit distance, case-insensitive), or undefined when none is within a third of
 * the name's length (at least 1, at most 3 edits): `salez` → `sales`, `x` → nothing from `sales, crm`.
 */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) return undefined;
  const lowered = candidates.map((candidate) => candidate.toLowerCase());
  const best = closest(name.toLowerCase(), lowered);
  const allowed = Math.min(3, Math.max(1, Math.floor(name.length / 3)));
  if (distance(name.toLowerCase(), best) > allowed) return undefined;
  return candidates[lowered.indexOf(best)];
}
