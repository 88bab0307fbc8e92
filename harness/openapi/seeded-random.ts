import type { Pick } from './schema-values.ts'

// Deterministic choices for the generated cases: the same seed gives the same
// cases on every run and every machine; no Math.random anywhere.

/** mulberry32 (Tommy Ettinger, public domain): a 32-bit state, uniform floats in [0, 1). */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

/** FNV-1a over the key's UTF-16 code units: a stable 32-bit hash, so each key gets its own stream. */
function fnv1a(key: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193)
  return hash >>> 0
}

export interface SeededRandom {
  /** A float in [0, 1). */
  next(): number
  pick: Pick
  /** `count` of the items, chosen at random, kept in their original order. */
  sample<T>(items: readonly T[], count: number): T[]
}

/**
 * A stream for one key under one seed (`rngFor(7, 'POST /items body.name wrong-type')`): a case's
 * values depend on the seed and its own id only, so excluding an operation or replaying one case
 * alone leaves every other case's values as they were.
 */
export function rngFor(seed: number, key: string): SeededRandom {
  const next = mulberry32((seed >>> 0) ^ fnv1a(key))
  const pick: Pick = (choices) => choices[Math.floor(next() * choices.length)]!
  return {
    next,
    pick,
    sample(items, count) {
      if (count >= items.length) return [...items]
      // Fisher–Yates over the indexes, then the first `count` back in order.
      const indexes = items.map((_, i) => i)
      for (let i = indexes.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1))
        ;[indexes[i], indexes[j]] = [indexes[j]!, indexes[i]!]
      }
      return indexes.slice(0, count).sort((a, b) => a - b).map((i) => items[i]!)
    },
  }
}
