/** Edits (insert, delete, replace) from `a` to `b`: how far a typo is from what was meant. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    previous = current
  }
  return previous[b.length]!
}

/**
 * The known name a misspelt one most likely meant: the closest by edits, when it
 * is close enough to be a typo (a third of the name), else the one that contains it.
 */
export function nearestName(wanted: string, known: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined
  for (const name of known) {
    const distance = editDistance(wanted, name)
    if (!best || distance < best.distance) best = { name, distance }
  }
  if (best && best.distance <= Math.max(2, Math.floor(wanted.length / 3))) return best.name
  return known.find((name) => name.endsWith(wanted) || name.includes(`.${wanted}`))
}

/**
 * Up to `count` known names closest to `wanted` by edits, nearest first: the suggestions when nothing matched.
 * `part` picks what of each name is compared (its start, for a pattern that ends in a wildcard).
 */
export function nearestNames(wanted: string, known: readonly string[], count = 3, part: (name: string) => string = (name) => name): string[] {
  return known
    .map((name) => ({ name, distance: editDistance(wanted, part(name)) }))
    .sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name))
    .slice(0, count)
    .map((entry) => entry.name)
}
