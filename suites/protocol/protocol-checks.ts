import type { CheckDefinition } from '../../harness/check/define-check.ts'
import { badChunk } from './bad-chunk.ts'
import { contentLength } from './content-length.ts'
import { expectContinue } from './expect-continue.ts'
import { headNoBody } from './head-no-body.ts'
import { headerSyntax } from './header-syntax.ts'
import { headerTooLarge } from './header-too-large.ts'
import { hostHeader } from './host-header.ts'
import { connectionCloseHonoured, keepAliveIdleTimeout, keepAliveReuse } from './keep-alive.ts'
import { httpVersion } from './http-version.ts'
import { requestLine } from './request-line.ts'
import { requestTarget } from './request-target.ts'
import { slowClient } from './slow-client.ts'
import { smugglingClTe, smugglingTeCl, smugglingTeTe } from './smuggling.ts'
import { transferCoding } from './transfer-coding.ts'
import { uriTooLong } from './uri-too-long.ts'

/** Raw HTTP/1.1 probes of the first hop's parser, in the order a request is read. */
export const PROTOCOL_CHECKS: readonly CheckDefinition[] = [
  requestLine, requestTarget, httpVersion, hostHeader, uriTooLong, headerTooLarge, headerSyntax,
  contentLength, transferCoding, badChunk, smugglingClTe, smugglingTeCl, smugglingTeTe,
  headNoBody, expectContinue, slowClient,
  keepAliveReuse, connectionCloseHonoured, keepAliveIdleTimeout,
]
