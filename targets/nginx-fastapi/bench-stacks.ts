// The reference stacks `layercheck bench` measures: the reference itself and
// its variant without upstream keep-alive (measured back to back), then one
// app instance with 1, 2 and 4 gunicorn workers. All without the Toxiproxy hop:
// no real deployment has one, and its CPU would count as the server's.

import { readFileSync } from 'node:fs'
import { pinServer, type CorePlan } from '../../harness/bench/cpu-pinning.ts'
import type { BenchTarget, ScalingTarget, UpstreamKeepAliveTarget, ClientKeepAliveTarget } from '../../suites/bench/bench-plan.ts'
import { REFERENCE_TIMEOUTS, startReferenceStack, type ReferenceStack } from './stack.ts'
import type { StackVariant } from './variants.ts'

/** nginx's own defaults towards the app: HTTP/1.0 and no idle pool, so a new upstream connection per request. */
export const UPSTREAM_KEEPALIVE_OFF: StackVariant = {
  name: 'upstream-keepalive-off',
  description: 'nginx defaults towards the app (proxy_http_version 1.0, no keepalive pool): a new connection to the app per request',
  nginx: { upstreamHttpVersion: '1.0', upstreamKeepalive: 0 },
  controls: [],
}

export const SCALING_WORKER_COUNTS = [1, 2, 4] as const

/** A pure-Python loop (~2 ms here) and an awaited sleep: what more workers can and cannot speed up. */
export const SCALING_ROUTES = [
  { id: 'workers-cpu', name: 'worker scaling, CPU-bound route (pure Python loop)', path: '/compute?n=20000' },
  { id: 'workers-io', name: 'worker scaling, I/O-bound route (await asyncio.sleep 50 ms)', path: '/slow?ms=50' },
] as const

export interface BenchStacks<T> {
  target: T
  /** The first stack: the profile of the run is the reference's. */
  reference: ReferenceStack
  stop(): Promise<void>
}

async function startAll(options: Parameters<typeof startReferenceStack>[0][], plan: CorePlan): Promise<{ stacks: ReferenceStack[]; stop: () => Promise<void> }> {
  const settled = await Promise.allSettled(options.map((o) => startReferenceStack({ ...o, faultProxy: false })))
  const stacks = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []))
  const stop = async () => { await Promise.all(stacks.map((s) => s.stop())) }
  const failed = settled.find((s) => s.status === 'rejected')
  if (failed) {
    await stop()
    throw failed.reason
  }
  for (const stack of stacks) pinServer(plan, stack.pids)
  return { stacks, stop }
}

const servedBy = (stack: ReferenceStack, plan: CorePlan) => ({ serverGroups: stack.pids, serverCores: plan.server.length, appLog: stack.logs.app, statusUrl: stack.statusUrl })

/** The reference (client keep-alive over HTTP and TLS, upstream keep-alive on) and its no-upstream-keep-alive twin. */
export async function startKeepAliveStacks(path: string, plan: CorePlan): Promise<BenchStacks<Pick<BenchTarget, 'clientKeepAlive' | 'upstreamKeepAlive'>>> {
  const { stacks: [reference, noUpstreamKeepAlive], stop } = await startAll([{}, { variant: UPSTREAM_KEEPALIVE_OFF }], plan)
  const ca = readFileSync(reference!.caFile)
  const clientKeepAlive: ClientKeepAliveTarget[] = [
    { id: 'keepalive-http', url: `${reference!.httpUrl}${path}`, ...servedBy(reference!, plan) },
    { id: 'keepalive-tls', url: `${reference!.httpsUrl}${path}`, ca, ...servedBy(reference!, plan) },
  ]
  const upstreamKeepAlive: UpstreamKeepAliveTarget = {
    keepalivePool: REFERENCE_TIMEOUTS.upstreamKeepalive,
    with: { url: `${reference!.httpUrl}${path}`, ...servedBy(reference!, plan) },
    without: { url: `${noUpstreamKeepAlive!.httpUrl}${path}`, ...servedBy(noUpstreamKeepAlive!, plan) },
  }
  return { target: { clientKeepAlive, upstreamKeepAlive }, reference: reference!, stop }
}

/** One app instance behind nginx with 1, 2 and 4 workers, each stack up at once so runs interleave. */
export async function startScalingStacks(plan: CorePlan): Promise<BenchStacks<ScalingTarget[]>> {
  const { stacks, stop } = await startAll(SCALING_WORKER_COUNTS.map((workers) => ({ instances: 1 as const, workers })), plan)
  const target = SCALING_ROUTES.map((route) => ({
    id: route.id, name: route.name,
    points: stacks.map((stack, i) => ({ workers: SCALING_WORKER_COUNTS[i]!, url: `${stack.httpUrl}${route.path}`, ...servedBy(stack, plan) })),
  }))
  return { target, reference: stacks[0]!, stop }
}
