import { describe, expect, test } from 'vitest'
import { CheckScheduler, conflicts, type ScheduledTask, type Uses } from '../../harness/check/check-scheduler.ts'
import { concurrencyOf, RESOURCE, routeSweepUses, usesOf } from '../../harness/check/resources.ts'
import { conflictingOverlaps, floorOf } from '../../harness/model/floor.ts'
import { describeFloor } from '../../reports/terminal-summary.ts'
import { parseProfile } from '../../harness/profile/load-profile.ts'
import { secretEnvNames } from '../../harness/target/client-for-profile.ts'
import { ALL_CHECKS, findCheck } from '../../suites/all-checks.ts'

interface Ran { id: string; uses: Uses; startedMs: number; endedMs: number }

/** A seeded generator (mulberry32): the same synthetic batch every run. */
function random(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Runs tasks of the given durations through one scheduler, all arriving at once; returns what ran when. */
async function runBatch(tasks: (ScheduledTask & { ms: number })[], limit: number): Promise<{ ran: Ran[]; peak: number; wallMs: number }> {
  const scheduler = new CheckScheduler({ limit, expected: tasks.length })
  const origin = performance.now()
  let peak = 0
  const ran = await Promise.all(tasks.map((task) => scheduler.run(task, async () => {
    peak = Math.max(peak, scheduler.taken)
    const startedMs = performance.now() - origin
    await new Promise((resolve) => setTimeout(resolve, task.ms))
    return { id: task.id, uses: task.uses, startedMs, endedMs: performance.now() - origin }
  })))
  return { ran, peak, wallMs: performance.now() - origin }
}

const overlap = (a: Ran, b: Ran) => a.startedMs < b.endedMs && b.startedMs < a.endedMs

describe('the check scheduler', () => {
  test('a task that keeps several requests in flight takes that many places of the limit, never more than the limit', async () => {
    const tasks = [
      { id: 'cases', uses: {}, slots: 4, ms: 40 },
      ...Array.from({ length: 6 }, (_, i) => ({ id: `one-${i}`, uses: {}, ms: 40 })),
      { id: 'greedy', uses: {}, slots: 99, ms: 10 },
    ]
    const { ran, peak } = await runBatch(tasks, 6)
    expect(peak).toBeLessThanOrEqual(6)
    const cases = ran.find((r) => r.id === 'cases')!
    // Beside the 4-place task, at most two single ones; the greedy one runs alone (its places capped at the limit).
    expect(ran.filter((r) => r.id.startsWith('one-') && overlap(r, cases)).length).toBeLessThanOrEqual(2)
    const greedy = ran.find((r) => r.id === 'greedy')!
    expect(ran.filter((r) => r !== greedy && overlap(r, greedy))).toEqual([])
  })

  test('conflicts: exclusive against anything naming the key; shared holders overlap', () => {
    expect(conflicts({ exclusive: ['a'] }, { shared: ['a'] })).toBe(true)
    expect(conflicts({ shared: ['a'] }, { exclusive: ['a'] })).toBe(true)
    expect(conflicts({ exclusive: ['a'] }, { exclusive: ['a'] })).toBe(true)
    expect(conflicts({ shared: ['a'] }, { shared: ['a'] })).toBe(false)
    expect(conflicts({ exclusive: ['a'] }, { exclusive: ['b'], shared: ['c'] })).toBe(false)
    expect(conflicts({}, { exclusive: ['a'] })).toBe(false)
  })

  test('random durations and many conflicts: no conflicting pair overlaps, free pairs do, never above the limit', async () => {
    const next = random(13)
    const keys = ['target:upstream', 'quota:a', 'quota:b', 'link:x', 'link:y']
    const pick = () => keys.filter(() => next() < 0.25)
    const tasks = Array.from({ length: 60 }, (_, i) => {
      const exclusive = next() < 0.2 ? pick() : []
      return { id: `t${i}`, uses: { exclusive, shared: pick().filter((k) => !exclusive.includes(k)) }, ms: 2 + Math.floor(next() * 25), plannedWaitMs: next() < 0.1 ? 20 : 0 }
    })
    const limit = 6
    const { ran, peak } = await runBatch(tasks, limit)
    expect(ran).toHaveLength(tasks.length)
    expect(peak).toBeLessThanOrEqual(limit)
    const bad = ran.flatMap((a, i) => ran.slice(i + 1).filter((b) => overlap(a, b) && conflicts(a.uses, b.uses)).map((b) => [a.id, b.id]))
    expect(bad).toEqual([])
    // The same pairs, as the report-side check reads them.
    expect(conflictingOverlaps(ran.map((r) => ({ ...r, uses: { exclusive: [...r.uses.exclusive ?? []], shared: [...r.uses.shared ?? []] } })))).toEqual([])
    // Tasks that conflict with nothing did run side by side.
    const free = ran.filter((r) => !r.uses.exclusive?.length)
    expect(free.some((a, i) => free.slice(i + 1).some((b) => overlap(a, b)))).toBe(true)
    expect(peak).toBeGreaterThan(1)
  })

  test('exclusive holders of one key run one at a time, and the longest planned wait starts first', async () => {
    const tasks = [
      ...Array.from({ length: 5 }, (_, i) => ({ id: `x${i}`, uses: { exclusive: ['quota:a'] }, ms: 10 })),
      { id: 'long', uses: { shared: ['target:upstream'] }, ms: 40, plannedWaitMs: 40 },
      ...Array.from({ length: 6 }, (_, i) => ({ id: `s${i}`, uses: { shared: ['target:upstream'] }, ms: 5 })),
    ]
    const { ran } = await runBatch(tasks, 4)
    const xs = ran.filter((r) => r.id.startsWith('x')).sort((a, b) => a.startedMs - b.startedMs)
    for (let i = 1; i < xs.length; i++) expect(xs[i]!.startedMs).toBeGreaterThanOrEqual(xs[i - 1]!.endedMs)
    const long = ran.find((r) => r.id === 'long')!
    expect(long.startedMs).toBeLessThanOrEqual(Math.min(...ran.map((r) => r.startedMs)) + 1)
    // The long wait overlaps the exclusive ones and the short shared ones instead of coming after them.
    expect(ran.filter((r) => r !== long && overlap(r, long)).length).toBeGreaterThanOrEqual(4)
  })

  test('a batch waits for every expected task before the first grant, or gatherMs', async () => {
    const scheduler = new CheckScheduler({ limit: 1, expected: 2, gatherMs: 5_000 })
    const order: string[] = []
    const short = scheduler.run({ id: 'short', uses: {} }, async () => { order.push('short') })
    await new Promise((resolve) => setTimeout(resolve, 20))
    const long = scheduler.run({ id: 'long', uses: {}, plannedWaitMs: 1000 }, async () => { order.push('long') })
    await Promise.all([short, long])
    expect(order).toEqual(['long', 'short'])
    const alone = new CheckScheduler({ limit: 1, expected: 3, gatherMs: 10 })
    await alone.run({ id: 'only', uses: {} }, async () => undefined)
  })

  test('releases its slot when the task throws', async () => {
    const scheduler = new CheckScheduler({ limit: 1 })
    await expect(scheduler.run({ id: 'a', uses: { exclusive: ['k'] } }, async () => { throw new Error('boom') })).rejects.toThrow('boom')
    await expect(scheduler.run({ id: 'b', uses: { exclusive: ['k'] } }, async () => 'ran')).resolves.toBe('ran')
  })
})

describe('the resources checks declare', () => {
  const profile = parseProfile({
    baseUrl: 'http://127.0.0.1:8080',
    auth: { protectedPath: '/me', tokenEnv: 'T_USER', sendTokenTo: ['/limited'] },
    rateLimit: { path: '/limited', tokenEnv: 'T_USER', secondTokenEnv: 'T_OTHER', requests: 5, windowS: 3 },
  })

  test('every ordinary check shares the upstream; faults and the pooled-connection count hold it alone', () => {
    for (const check of ALL_CHECKS) {
      const uses = usesOf(check, profile)
      const alone = check.id.startsWith('faults.') || check.id === 'proxy.upstream.http11-keep-alive'
      expect(uses.exclusive.includes(RESOURCE.upstream), check.id).toBe(alone)
      expect(uses.shared.includes(RESOURCE.upstream), check.id).toBe(!alone)
    }
  })

  test('the two rate-limit checks spend two quotas, so they overlap; a route sweep carrying the token waits for the 429 check', () => {
    const quota429 = usesOf(findCheck('middleware.rate-limit.429'), profile)
    const afterAuth = usesOf(findCheck('middleware.rate-limit.after-auth'), profile)
    expect(quota429.exclusive).toEqual([RESOURCE.quota('T_USER')])
    expect(afterAuth.exclusive).toEqual([RESOURCE.quota('T_OTHER')])
    expect(conflicts(quota429, afterAuth)).toBe(false)
    const sweep = usesOf(findCheck('routing.methods.every-route'), profile)
    expect(conflicts(quota429, sweep)).toBe(true)
    expect(conflicts(afterAuth, sweep)).toBe(false)
    // Without a second token both spend the one quota: one after the other.
    const oneToken = parseProfile({ baseUrl: 'http://127.0.0.1:8080', rateLimit: { path: '/limited', tokenEnv: 'T_USER', requests: 5, windowS: 3 } })
    expect(conflicts(usesOf(findCheck('middleware.rate-limit.429'), oneToken), usesOf(findCheck('middleware.rate-limit.after-auth'), oneToken))).toBe(true)
    expect(routeSweepUses(oneToken)).toEqual({})
  })

  test('the rate limit\'s tokens are secrets like auth\'s: masked in every exchange', () => {
    expect(secretEnvNames(profile).sort()).toEqual(['T_OTHER', 'T_USER'])
  })

  test('concurrency: the profile\'s run.concurrency, else 8 on loopback and 4 elsewhere', () => {
    expect(concurrencyOf(profile)).toBe(8)
    expect(concurrencyOf(parseProfile({ baseUrl: 'https://api.example.com' }))).toBe(4)
    expect(concurrencyOf(parseProfile({ baseUrl: 'https://api.example.com', run: { concurrency: 1 } }))).toBe(1)
    expect(() => parseProfile({ baseUrl: 'https://api.example.com', run: { concurrency: 0 } })).toThrow(/run\.concurrency/)
  })
})

describe('the floor', () => {
  const uses = (exclusive: string[], shared: string[] = []) => ({ exclusive, shared })

  test('exclusive waits on one key add up, plus the longest shared wait on it; the longest single wait at least', () => {
    expect(floorOf([])).toBe(0)
    expect(floorOf([{ waitedMs: 500, uses: uses([]) }])).toBe(500)
    expect(floorOf([
      { waitedMs: 4000, uses: uses(['target:upstream']) },
      { waitedMs: 10_000, uses: uses(['target:upstream']) },
      { waitedMs: 6200, uses: uses(['quota:a'], ['target:upstream']) },
      { waitedMs: 3100, uses: uses(['quota:b'], ['target:upstream']) },
      { waitedMs: 3000, uses: uses([], ['target:upstream']) },
    ])).toBe(20_200)
    // Two checks on one quota: their waits add up on that key.
    expect(floorOf([
      { waitedMs: 6200, uses: uses(['quota:a'], ['target:upstream']) },
      { waitedMs: 3100, uses: uses(['quota:a'], ['target:upstream']) },
    ])).toBe(9300)
  })

  test('the terminal summary prints duration, floor and their ratio', () => {
    expect(describeFloor({ durationMs: 41_800, floorMs: 39_000 })).toBe('time: 41.8 s, floor 39.0 s (waits the checks had to make), 1.07× the floor')
    expect(describeFloor({ durationMs: 900, floorMs: 0 })).toBe('time: 900 ms, floor 0 ms (waits the checks had to make), no deliberate wait')
  })
})
