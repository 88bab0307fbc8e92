import { describeChecks } from '../../harness/check/describe-checks.ts'
import { bodyAtLimit, bodyTooLarge } from './body-size.ts'
import { gzipCompression } from './compression.ts'
import { forwardedForNotTrusted, forwardedProtoHttps } from './forwarded-headers.ts'
import { hsts, nosniff, serverVersionHidden } from './response-headers.ts'

// Lifecycle step 6: the reverse proxy enforces what it documents, before the app.
describeChecks('proxy', [
  bodyTooLarge, bodyAtLimit, forwardedForNotTrusted, forwardedProtoHttps,
  gzipCompression, serverVersionHidden, nosniff, hsts,
])
