import { defineCheck } from '../../harness/check/define-check.ts'
import { expectResponse } from '../../harness/check/expect-response.ts'
import { measureRecovery, RECOVERY_LATE, recoveryProblem } from '../../harness/check/recovery.ts'
import { needsFaultsAnd } from './fault-requirements.ts'
import { hasProblem } from '../../harness/check/problem.ts'

export const workerCrash = defineCheck({
  id: 'faults.worker-crash.recovery',
  title: 'A crashed worker gives one 502, then its supervisor respawns it and requests succeed again in time',
  step: 9, layer: 'app-server', spec: 'seed Part 9 (step 9: worker crashed → 502); Part 10 (gunicorn restarts crashed workers)', severity: 'error',
  requires: needsFaultsAnd((p) => (p.faults!.crash ? undefined : 'faults.crash is not set: name a request that crashes the worker serving it')),
  async run(context) {
    const { profile, send, faults } = context
    const crash = profile.faults!.crash!
    const [target, ...others] = profile.faults!.links
    // The other instances are taken out for the duration, so their healthy
    // workers cannot hide whether the crashed one came back.
    const run = async () => {
      const exchange = await send({ method: crash.method, path: crash.path, label: `crash a worker of ${target}` })
      const recovery = await measureRecovery(context, crash.recoveryMs + 1000)
      return { exchange, recovery }
    }
    const { exchange, recovery } = others.length ? await faults!.withFault({ kind: 'down' }, run, others) : await run()
    return {
      ...expectResponse(exchange, {
        status: 502, from: 'proxy', describe: `then 2xx again within ${crash.recoveryMs} ms`,
        rules: [() => recoveryProblem(recovery, crash.recoveryMs)],
      }),
      measurements: { recoveryMs: recovery.recoveryMs, failedWhileRecovering: recovery.failedRequests },
    }
  },
  diagnose: (got, profile) => {
    if (hasProblem(got, RECOVERY_LATE)) {
      return `Requests kept failing for more than the documented ${profile.faults!.crash!.recoveryMs} ms after a worker died: nothing respawned it. ` +
        'Run the app under a supervisor that restarts crashed workers (gunicorn -k uvicorn.workers.UvicornWorker, systemd Restart=, a container restart policy), not a bare uvicorn process.'
    }
    if (got.tier === 'app') return 'The crash request did not crash anything: faults.crash names a request that the app answers normally.'
    return undefined
  },
})
