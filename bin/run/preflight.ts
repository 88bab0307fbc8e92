import type { AnsweredBy, Exchange } from '../../harness/model/check-result.ts'
import type { Profile } from '../../harness/profile/schema.ts'
import { clientForProfile } from '../../harness/target/client-for-profile.ts'

export interface Unreachable {
  exchange: Exchange
  answeredBy: AnsweredBy
}

/**
 * One request before any suite runs: a target that gives no HTTP answer at all
 * is reported once, with its layer (DNS, TCP, TLS), instead of as N failed checks.
 */
export async function preflight(profile: Readonly<Profile>): Promise<Unreachable | undefined> {
  const client = clientForProfile(profile)
  try {
    const exchange = await client.send({ path: profile.probes.healthPath, label: 'preflight' })
    return exchange.response ? undefined : { exchange, answeredBy: exchange.answeredBy }
  } finally {
    await client.close()
  }
}
