import { defineCheck, type CheckContext } from '../../harness/check/define-check.ts'
import { allOf, expectResponse } from '../../harness/check/expect-response.ts'
import { measureRecovery, RECOVERY_LATE, recoveryProblem } from '../../harness/check/recovery.ts'
import type { Profile } from '../../harness/profile/schema.ts'
import { needsDisruptiveOptIn, needsFaults } from './fault-requirements.ts'
import { hasProblem } from '../../harness/check/problem.ts'
import { DISTURBS_UPSTREAM } from '../../harness/check/resources.ts'

const needsCrashRoute = (profile: Readonly<Profile>) =>
  (profile.routes.crash ? undefined : 'routes.crash is not set: name a request that crashes the worker serving it') ?? needsDisruptiveOptIn(profile)

/** With Toxiproxy, the other instances are taken out, so their healthy workers cannot hide whether the crashed one came back. */
const othersCanBeTakenOut = ({ profile, faults }: CheckContext) => faults !== undefined && needsFaults(profile) === undefined

/**
 * Without Toxiproxy every instance is crashed once, so none is left healthy to
 * answer for one that never came back. A supervisor that respawns quickly may
 * get a second crash on the same instance: that only makes recovery harder.
 */
const crashesNeeded = (context: CheckContext) => (othersCanBeTakenOut(context) ? 1 : context.profile.upstream?.instances ?? 1)

export const workerCrash = defineCheck({
  id: 'faults.worker-crash.recovery',
  title: 'A crashed worker gives one 502, then its supervisor respawns it and requests succeed again in time',
  step: 9, layer: 'app-server', spec: 'seed Part 9 (step 9: worker crashed → 502); Part 10 (gunicorn restarts crashed workers)', severity: 'error',
  uses: DISTURBS_UPSTREAM,
  requires: needsCrashRoute,
  async run(context) {
    const { profile, send, faults } = context
    const crash = profile.routes.crash!
    const count = crashesNeeded(context)
    const run = async () => {
      const crashes = []
      for (let i = 1; i <= count; i++) {
        crashes.push(await send({ method: crash.method, path: crash.path, label: count > 1 ? `crash a worker (${i} of ${count} instances)` : 'crash a worker' }))
      }
      return { crashes, recovery: await measureRecovery(context, crash.recoveryMs + 1000) }
    }
    const others = profile.faults?.links.slice(1) ?? []
    const { crashes, recovery } = othersCanBeTakenOut(context) && others.length ? await faults!.withFault({ kind: 'down' }, run, others) : await run()
    context.waited(recovery.recoveryMs, 'the supervisor respawning the crashed worker')
    return {
      ...allOf(crashes.map((exchange, i) => expectResponse(exchange, {
        status: 502, from: 'proxy', describe: `then 2xx again within ${crash.recoveryMs} ms`,
        // Recovery is judged once, after the last crash.
        rules: i === crashes.length - 1 ? [() => recoveryProblem(recovery, crash.recoveryMs)] : [],
      }))),
      measurements: { crashes: crashes.length, recoveryMs: recovery.recoveryMs, failedWhileRecovering: recovery.failedRequests },
    }
  },
  diagnose: (got, profile) => {
    if (hasProblem(got, RECOVERY_LATE)) {
      return `Requests kept failing for more than the documented ${profile.routes.crash!.recoveryMs} ms after the workers died: nothing respawned them. ` +
        'Run the app under a supervisor that restarts crashed workers (gunicorn -k uvicorn.workers.UvicornWorker, systemd Restart=, a container restart policy), not a bare uvicorn process.'
    }
    if (got.tier === 'app') return 'The crash request did not crash anything: routes.crash names a request that the app answers normally.'
    return undefined
  },
})
