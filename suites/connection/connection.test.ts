import { describeChecks } from '../../harness/check/describe-checks.ts'
import { dnsResolves } from './dns-resolves.ts'
import { tcpConnects } from './tcp-connects.ts'
import { tlsAlpn } from './tls-alpn.ts'
import { tlsCertificateValid } from './tls-certificate-valid.ts'
import { tlsExpiryWindow } from './tls-expiry-window.ts'
import { tlsMinVersion } from './tls-min-version.ts'

// Lifecycle steps 1–3: the name resolves, the port answers, and the TLS endpoint
// shows a valid certificate with current protocol versions — before any HTTP.
describeChecks('connection', [dnsResolves, tcpConnects, tlsCertificateValid, tlsExpiryWindow, tlsMinVersion, tlsAlpn])
