import { defineCheck } from '../../harness/check/define-check.ts'
import { documentedOversize, paddedJsonBody } from '../../harness/check/bodies.ts'
import { expectResponse } from '../../harness/check/expect-response.ts'
import type { Profile } from '../../harness/profile/schema.ts'
import { proxySetting } from '../../harness/products/proxy-products.ts'
import { addDecisiveEvidence } from '../../harness/target/decisive-evidence.ts'
import { appSawMarker } from '../../harness/target/log-reader.ts'
import { problem } from '../../harness/check/problem.ts'

const needsLimit = (p: Readonly<Profile>) =>
  !p.limits.maxBodyBytes ? 'limits.maxBodyBytes is not set'
    : !p.probes.jsonEndpoint?.paddingField ? 'probes.jsonEndpoint.paddingField is not set: name a string field the probe may pad'
      : undefined

function sizedPost(profile: Readonly<Profile>, bytes: number) {
  const endpoint = profile.probes.jsonEndpoint!
  return {
    method: endpoint.method, path: endpoint.path,
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: paddedJsonBody(endpoint.validBody, endpoint.paddingField!, bytes),
  }
}

const limitSetting = (profile: Readonly<Profile>) => proxySetting(profile.layers?.proxy, 'bodyLimit', 'the request body size limit')

export const bodyTooLarge = defineCheck({
  id: 'proxy.body-size.413',
  title: 'A body over the documented limit is refused with 413 by the proxy, before the app sees it',
  step: 6, layer: 'proxy', spec: 'RFC 9110 §15.5.14', severity: 'error',
  requires: needsLimit,
  async run({ send, profile, nonce }) {
    const idHeader = profile.requestId?.header ?? 'X-Request-ID'
    const probeId = `layercheck-413-${nonce()}`
    const request = sizedPost(profile, profile.limits.maxBodyBytes! + 1)
    const exchange = await send({ ...request, headers: { ...request.headers, [idHeader]: probeId }, documented: documentedOversize(profile) })
    const appLog = profile.logs?.app
    const layer = profile.limits.bodyLimitLayer
    if (!appLog || layer !== 'proxy' || !exchange.response) return expectResponse(exchange, { status: 413, from: layer })

    // Proof from the app's side, which outweighs any body shape: its log must show a control request, and not the probe.
    const controlId = `layercheck-control-${nonce()}`
    await send({ path: profile.probes.healthPath, headers: { [idHeader]: controlId }, label: 'control request for the app log' })
    const sighting = await appSawMarker(appLog, probeId, controlId)
    const reached = sighting.seen
    const searched = sighting.reach ? ` (${sighting.reach})` : ''
    addDecisiveEvidence(exchange, profile, reached
      ? { tier: 'app', signal: `the app log shows this request (${idHeader}: ${probeId}): it reached the app` }
      : { tier: 'proxy', signal: `the app log shows the control request (${controlId}) and not this one (${probeId}): the app never saw it${searched}` })
    return expectResponse(exchange, {
      status: 413, from: 'proxy', describe: 'absent from the app log',
      rules: [() => (reached ? problem('reached-app', `the app logged the oversize request (${idHeader}: ${probeId})`) : undefined)],
    })
  },
  diagnose: (got, profile) => {
    const limit = profile.limits.maxBodyBytes!
    if (got.tier === 'app') {
      return `The app answered ${got.status}: a ${limit + 1}-byte body crossed the proxy and was read by the app. ` +
        `Lower ${limitSetting(profile)} to the documented ${limit} bytes, so oversize uploads are refused at the edge.`
    }
    if (got.tier === 'client' || got.tier === 'unknown') {
      return `No 413 came back (${got.answeredBy.reason}). A proxy that closes the connection while the client is still sending ` +
        'makes clients see a reset instead of 413: check the proxy\'s lingering_close / body discard settings.'
    }
    return undefined
  },
})

export const bodyAtLimit = defineCheck({
  id: 'proxy.body-size.under-limit',
  title: 'A body exactly at the documented limit is accepted',
  step: 6, layer: 'proxy', spec: 'deployment documentation (limits.maxBodyBytes)', severity: 'error',
  requires: needsLimit,
  async run({ send, profile }) {
    const exchange = await send(sizedPost(profile, profile.limits.maxBodyBytes!))
    return expectResponse(exchange, { status: [200, 201, 202, 204], from: 'app' })
  },
  diagnose: (got, profile) => {
    if (got.status === 413) {
      return `A body of exactly the documented ${profile.limits.maxBodyBytes} bytes was refused by the ${got.tier}${got.product ? ` (${got.product})` : ''}: ` +
        `the limit is lower than documented. Raise ${got.tier === 'proxy' ? limitSetting(profile) : "the app's body limit"} to the documented value, or correct the documentation.`
    }
    return undefined
  },
})
