// `layercheck run --only <patterns> --exclude <patterns>`: the checks a run (or a dry run) is limited to.
// Patterns, comma-separated; --only keeps a check when any matches, --exclude then drops it when any matches:
//   an id or an id glob   `proxy.body-size.413`, `proxy.*`, `*.413` (`*` any run of characters, `?` one)
//   step:N                a lifecycle step, 1 (DNS) … 15 (handler); step:N-M a range
//   layer:NAME            a check's layer: connection, proxy, app-server, middleware, router, validation, handler
// A pattern that selects nothing is bad usage (exit 2) naming the nearest ids,
// so a typo never turns into a run that checks nothing and passes.
import type { CheckDefinition } from '../../harness/check/define-check.ts'
import { CHECK_LAYERS, type CheckLayer } from '../../harness/model/check-result.ts'
import { nearestName, nearestNames } from '../../harness/profile/nearest-name.ts'
import { BUILT_IN_UNIVERSE, type CheckUniverse, type RunRegion } from './check-universe.ts'
import { UsageError } from '../usage-error.ts'

const LAYERS: readonly CheckLayer[] = CHECK_LAYERS

function globToRegExp(glob: string): RegExp {
  const source = glob.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('')
  return new RegExp(`^${source}$`)
}

/** A matcher for one pattern, or the usage problem with it (an unknown layer, a step out of range). */
function matcherOf(pattern: string): ((check: CheckDefinition) => boolean) | string {
  const step = /^step:(\d+)(?:-(\d+))?$/.exec(pattern)
  if (step) {
    const from = Number(step[1])
    const to = Number(step[2] ?? step[1])
    if (from < 1 || to > 15 || from > to) return `${pattern}: steps run from 1 (DNS) to 15 (handler)`
    return (check) => check.step >= from && check.step <= to
  }
  if (pattern.startsWith('step:')) return `${pattern}: write step:N or step:N-M, e.g. step:6`
  if (pattern.startsWith('layer:')) {
    const layer = pattern.slice('layer:'.length)
    if (!LAYERS.includes(layer as CheckLayer)) {
      const near = nearestName(layer, LAYERS)
      return `${pattern}: no such layer${near ? `; did you mean "layer:${near}"?` : ''} (layers: ${LAYERS.join(', ')})`
    }
    return (check) => check.layer === layer
  }
  const glob = globToRegExp(pattern)
  return (check) => glob.test(check.id)
}

/** Why nothing matched, with the ids nearest to what was written. */
function nothingMatches(pattern: string, checks: readonly CheckDefinition[]): string {
  // What was written is compared with as much of each id (`proxy.bodysize.*` with `proxy.body-size`,
  // `handler.unhandled` with `handler.unhandl…`); ids that contain it come first.
  const literal = pattern.replace(/[*?]+/g, '')
  const ids = checks.map((c) => c.id)
  const containing = ids.filter((id) => literal.length >= 3 && id.includes(literal))
  const near = [...new Set([...containing, ...nearestNames(literal, ids, 3, (id) => id.slice(0, literal.length))])].slice(0, 3)
  return `${pattern}: no check matches; nearest: ${near.map((id) => `"${id}"`).join(', ')} (\`layercheck list\` shows every id)`
}

export interface Selection {
  /** The selected checks, in lifecycle order. */
  checks: readonly CheckDefinition[]
  /** The suite regions they are in: the suite files the run loads. */
  regions: RunRegion[]
  /** How the selection was asked for, for the log line: `--only proxy.* --exclude proxy.hsts`. */
  describe: string
}

export interface SelectionOptions {
  /** `--only`: keep the checks any pattern matches. */
  only?: string
  /** `--exclude`: then drop the checks any pattern matches. */
  exclude?: string
}

/** The patterns of one option, or the usage problems with them (a pattern that matches nothing is one). */
function parsePatterns(flag: string, option: string, checks: readonly CheckDefinition[]): ((check: CheckDefinition) => boolean)[] {
  const patterns = option.split(',').map((p) => p.trim()).filter(Boolean)
  if (!patterns.length) throw new UsageError(`${flag}: give at least one pattern, e.g. ${flag} 'proxy.*' or ${flag} step:6 or ${flag} layer:proxy`)
  const problems: string[] = []
  const matchers: ((check: CheckDefinition) => boolean)[] = []
  for (const pattern of patterns) {
    const matcher = matcherOf(pattern)
    if (typeof matcher === 'string') problems.push(matcher)
    else if (!checks.some(matcher)) problems.push(nothingMatches(pattern, checks))
    else matchers.push(matcher)
  }
  if (problems.length) throw new UsageError(`${flag}: ${problems.length === 1 ? problems[0] : `\n${problems.map((p) => `  - ${p}`).join('\n')}`}`)
  return matchers
}

/**
 * `--only` and `--exclude`; undefined when neither is given. Throws UsageError when a pattern is malformed,
 * selects nothing, or the two leave no check at all.
 */
export function selectChecks(options: SelectionOptions, universe: CheckUniverse = BUILT_IN_UNIVERSE): Selection | undefined {
  if (options.only === undefined && options.exclude === undefined) return undefined
  const only = options.only === undefined ? undefined : parsePatterns('--only', options.only, universe.checks)
  const exclude = options.exclude === undefined ? [] : parsePatterns('--exclude', options.exclude, universe.checks)
  const selected = universe.checks.filter((check) => (!only || only.some((match) => match(check))) && !exclude.some((match) => match(check)))
  const describe = [options.only !== undefined && `--only ${options.only}`, options.exclude !== undefined && `--exclude ${options.exclude}`].filter(Boolean).join(' ')
  if (!selected.length) throw new UsageError(`${describe}: together they leave no check to run`)
  const regions = [...new Set(selected.map((check) => universe.regionOf(check)))]
  return { checks: selected, regions, describe }
}
