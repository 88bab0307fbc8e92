import { defineCheck, type CheckContext, type Outcome } from '../../harness/check/define-check.ts'
import { documentedOversize } from '../../harness/check/bodies.ts'
import { allOf, expectResponse } from '../../harness/check/expect-response.ts'
import type { Profile } from '../../harness/profile/schema.ts'
import { proxySetting } from '../../harness/products/proxy-products.ts'
import { addDecisiveEvidence } from '../../harness/target/decisive-evidence.ts'
import { appSawMarker } from '../../harness/target/log-reader.ts'
import { hasProblem, problem } from '../../harness/check/problem.ts'
import { FRAMING_LABEL, FRAMINGS, framingOf, sendFramed, sizedPost, type Framing } from './body-framings.ts'

const REACHED_APP = 'reached-app'

const needsLimit = (p: Readonly<Profile>) =>
  !p.limits.maxBodyBytes ? 'limits.maxBodyBytes is not set'
    : !p.probes.jsonEndpoint?.paddingField ? 'probes.jsonEndpoint.paddingField is not set: name a string field the probe may pad'
      : undefined

const limitSetting = (profile: Readonly<Profile>) => proxySetting(profile.layers?.proxy, 'bodyLimit', 'the request body size limit')

/**
 * One oversize body in one framing, refused with 413 by the documented layer. With the
 * app's log in the profile, proof from the app's side outweighs any body shape: the log
 * must show a control request, and not the probe.
 */
async function oversize(context: CheckContext, framing: Framing): Promise<Outcome> {
  const { send, profile, nonce } = context
  const idHeader = profile.requestId?.header ?? 'X-Request-ID'
  const probeId = `layercheck-413-${nonce()}`
  const request = sizedPost(profile, profile.limits.maxBodyBytes! + 1)
  const exchange = await sendFramed(context, { ...request, headers: { ...request.headers, [idHeader]: probeId }, documented: documentedOversize(profile) }, framing)
  const appLog = profile.logs?.app
  const layer = profile.limits.bodyLimitLayer
  if (!appLog || layer !== 'proxy' || !exchange.response) return expectResponse(exchange, { status: 413, from: layer })

  const controlId = `layercheck-control-${nonce()}`
  await send({ path: profile.probes.healthPath, headers: { [idHeader]: controlId }, label: 'control request for the app log' })
  const sighting = await appSawMarker(appLog, probeId, controlId)
  const searched = sighting.reach ? ` (${sighting.reach})` : ''
  // Absent from the app log, the answer cannot be the app's. Present, it proves only that the body reached the
  // app, not who answered: a front that streams a body on and cuts it at the limit still writes its own 413.
  if (!sighting.seen) {
    addDecisiveEvidence(exchange, profile, { tier: 'proxy', signal: `the app log shows the control request (${controlId}) and not this one (${probeId}): the app never saw it${searched}` })
  }
  return expectResponse(exchange, {
    status: 413, from: 'proxy', describe: 'absent from the app log',
    rules: [() => (sighting.seen ? problem(REACHED_APP, `the app logged the oversize request (${idHeader}: ${probeId})`) : undefined)],
  })
}

export const bodyTooLarge = defineCheck({
  id: 'proxy.body-size.413',
  title: 'A body over the documented limit is refused with 413 by the proxy, before the app sees it',
  step: 6, layer: 'proxy', spec: 'RFC 9110 §15.5.14', severity: 'error',
  requires: needsLimit,
  async run(context) {
    const outcomes: Outcome[] = []
    for (const framing of FRAMINGS) outcomes.push(await oversize(context, framing))
    return allOf(outcomes)
  },
  diagnose: (got, profile) => {
    const limit = profile.limits.maxBodyBytes!
    const framing = framingOf(got.exchange) ?? 'content-length'
    if (got.tier === 'app' && framing !== 'content-length') {
      return `The app answered ${got.status} to a ${limit + 1}-byte body (${FRAMING_LABEL[framing]}): it crossed the proxy. ` +
        'A limit that only reads the announced Content-Length lets a chunked body of any size through, since it announces none. ' +
        `Make it count the bytes that arrive: ${limitSetting(profile)}.`
    }
    if (got.tier === 'app') {
      return `The app answered ${got.status}: a ${limit + 1}-byte body crossed the proxy and was read by the app. ` +
        `Lower ${limitSetting(profile)} to the documented ${limit} bytes, so oversize uploads are refused at the edge.`
    }
    if (hasProblem(got, REACHED_APP)) {
      return `The ${got.tier}${got.product ? ` (${got.product})` : ''} answered ${got.status} to a ${limit + 1}-byte body (${FRAMING_LABEL[framing]}), ` +
        'but only after passing it on: the app logged the request, so it read part of a body it should never have seen. ' +
        'A front that streams the body to the app and counts as it goes cuts the upload at the limit but not before the app; ' +
        `make it hold the body until it is judged: ${limitSetting(profile)}.`
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
  async run(context) {
    const outcomes: Outcome[] = []
    for (const framing of FRAMINGS) {
      const exchange = await sendFramed(context, sizedPost(context.profile, context.profile.limits.maxBodyBytes!), framing)
      outcomes.push(expectResponse(exchange, { status: [200, 201, 202, 204], from: 'app' }))
    }
    return allOf(outcomes)
  },
  diagnose: (got, profile) => {
    if (got.status === 413) {
      return `${got.exchange.label}: a body of exactly the documented ${profile.limits.maxBodyBytes} bytes was refused by the ${got.tier}${got.product ? ` (${got.product})` : ''}: ` +
        `the limit is lower than documented. Raise ${got.tier === 'proxy' ? limitSetting(profile) : "the app's body limit"} to the documented value, or correct the documentation.`
    }
    return undefined
  },
})
