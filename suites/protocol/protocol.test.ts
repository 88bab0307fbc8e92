import { describeChecks } from '../../harness/check/describe-checks.ts'
import { PROTOCOL_CHECKS } from './protocol-checks.ts'

// Raw HTTP/1.1 bytes undici will not send: the first hop's parser, framing and timeouts.
describeChecks('protocol', PROTOCOL_CHECKS)
