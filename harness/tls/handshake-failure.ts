/**
 * What a failed handshake's code says about the server, in one clause; for
 * the evidence's "answered by" line. Certificate codes are left to the
 * certificate check, which judges them one by one.
 */
export function describeHandshakeFailure(code: string): string | undefined {
  if (/WRONG_VERSION_NUMBER|PACKET_LENGTH_TOO_LONG|RECORD_LAYER_FAILURE/.test(code)) {
    return `TLS: the server's answer is not TLS (${code}): the port speaks something else, plain HTTP perhaps`
  }
  if (/PROTOCOL_VERSION|UNSUPPORTED_PROTOCOL/.test(code)) {
    return `TLS: the server refused the handshake (${code}): it accepts none of the offered TLS versions`
  }
  if (/HANDSHAKE_FAILURE|NO_SHARED_CIPHER|INSUFFICIENT_SECURITY|NO_CIPHERS|INTERNAL_ERROR/.test(code)) {
    return `TLS: the server refused the handshake (${code}): no version, cipher suite or parameter that both sides accept`
  }
  if (code === 'ERR_TLS_HANDSHAKE_TIMEOUT') return 'TLS: the connection opened, but the server did not complete the handshake in time'
  if (code === 'ECONNRESET' || code === 'EPIPE') {
    return `TLS: the server closed the connection during the handshake (${code}): it refuses what was offered, or does not speak TLS`
  }
  return undefined
}
