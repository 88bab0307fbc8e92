import { expect, test } from 'vitest'
import { ALL_CHECKS } from '../../suites/all-checks.ts'
import { BROKEN_VARIANTS, FAULT_VARIANTS, HEADER_VARIANTS, PROTOCOL_VARIANTS } from '../../targets/nginx-fastapi/variants.ts'
import { CONNECTION_CONTROLS } from '../support/connection-controls.ts'
import { PROTOCOL_SERVER_CONTROLS } from '../support/protocol-controls.ts'
import { describeVariantControls } from '../support/variant-controls.ts'

// Every check is proven both ways: here, failing on its broken variant.
describeVariantControls(BROKEN_VARIANTS)

// DNS, TCP and ALPN failures need no stack variant: connection-failures.test.ts proves CONNECTION_CONTROLS.
test('every check has at least one broken variant (or loopback failure) that makes it fail', () => {
  const controlled = new Set([
    ...[...BROKEN_VARIANTS, ...HEADER_VARIANTS, ...PROTOCOL_VARIANTS, ...FAULT_VARIANTS].flatMap((v) => v.controls.map((c) => c.check)),
    ...CONNECTION_CONTROLS.map((c) => c.check),
    // protocol-controls.test.ts proves these against a misbehaving server on loopback.
    ...PROTOCOL_SERVER_CONTROLS.map((c) => c.check),
  ])
  expect(ALL_CHECKS.map((c) => c.id).filter((id) => !controlled.has(id))).toEqual([])
})
