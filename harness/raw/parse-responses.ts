// A tolerant HTTP/1.x response parser for the bytes a raw probe got back:
// zero or more responses in order (pipelining), then whatever is left over.
// It never throws: what does not parse is returned as `trailing`.

export interface ParsedResponse {
  httpVersion: string
  status: number
  statusText: string
  headers: [string, string][]
  body: Buffer
  /** The body's framing: Content-Length, chunked, until the connection closed, or none (HEAD, 1xx, 204, 304). */
  framing: 'content-length' | 'chunked' | 'close' | 'none'
  /** The framing said more was coming than arrived. */
  incomplete: boolean
}

export interface ParsedStream {
  /** Interim (1xx) and final responses, in the order received. */
  responses: ParsedResponse[]
  /** Bytes after the last response that do not parse as one (garbage, or a cut-off head). */
  trailing: Buffer
}

export interface ParseOptions {
  /** Whether the n-th final response answers a HEAD request (it has no body, RFC 9110 §9.3.2). */
  noBody?: (finalIndex: number) => boolean
  /** Whether the server closed the connection: a body without length then ends at the close. */
  closed: boolean
}

const HEAD_END = Buffer.from('\r\n\r\n')
const STATUS_LINE = /^HTTP\/(\d\.\d) (\d{3})(?: (.*))?$/

function parseHead(head: string): Omit<ParsedResponse, 'body' | 'framing' | 'incomplete'> | undefined {
  const lines = head.split(/\r?\n/)
  const match = STATUS_LINE.exec(lines[0] ?? '')
  if (!match) return undefined
  const headers: [string, string][] = []
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':')
    if (colon <= 0) return undefined
    headers.push([line.slice(0, colon), line.slice(colon + 1).trim()])
  }
  return { httpVersion: match[1]!, status: Number(match[2]), statusText: match[3] ?? '', headers }
}

const headerOf = (headers: [string, string][], name: string) =>
  headers.filter(([n]) => n.toLowerCase() === name).map(([, v]) => v).join(', ') || undefined

/** Decodes a chunked body from `start`; returns the body and where it ended, or undefined when cut off. */
function readChunked(bytes: Buffer, start: number): { body: Buffer; next: number } | undefined {
  const parts: Buffer[] = []
  let at = start
  for (;;) {
    const lineEnd = bytes.indexOf('\r\n', at)
    if (lineEnd < 0) return undefined
    const size = Number.parseInt(bytes.subarray(at, lineEnd).toString('latin1').split(';')[0]!.trim(), 16)
    if (!Number.isFinite(size) || size < 0) return undefined
    at = lineEnd + 2
    if (size === 0) {
      // Trailer section, ended by an empty line.
      const end = bytes.indexOf('\r\n\r\n', at - 2)
      if (end < 0) return undefined
      return { body: Buffer.concat(parts), next: end + 4 }
    }
    if (at + size + 2 > bytes.length) return undefined
    parts.push(bytes.subarray(at, at + size))
    at += size + 2
  }
}

export function parseResponses(bytes: Buffer, options: ParseOptions): ParsedStream {
  const responses: ParsedResponse[] = []
  let at = 0
  let finals = 0
  while (at < bytes.length) {
    const headEnd = bytes.indexOf(HEAD_END, at)
    if (headEnd < 0) break
    const head = parseHead(bytes.subarray(at, headEnd).toString('latin1'))
    if (!head) break
    const bodyStart = headEnd + 4
    const interim = head.status >= 100 && head.status < 200
    const noBody = interim || head.status === 204 || head.status === 304 || (options.noBody?.(finals) ?? false)
    const te = headerOf(head.headers, 'transfer-encoding')
    const cl = headerOf(head.headers, 'content-length')
    let parsed: ParsedResponse
    if (noBody) {
      parsed = { ...head, body: Buffer.alloc(0), framing: 'none', incomplete: false }
      at = bodyStart
    } else if (te && /chunked\s*$/i.test(te)) {
      const chunked = readChunked(bytes, bodyStart)
      if (chunked) {
        parsed = { ...head, body: chunked.body, framing: 'chunked', incomplete: false }
        at = chunked.next
      } else {
        parsed = { ...head, body: bytes.subarray(bodyStart), framing: 'chunked', incomplete: true }
        at = bytes.length
      }
    } else if (cl !== undefined && /^\d+$/.test(cl)) {
      const length = Number(cl)
      const body = bytes.subarray(bodyStart, Math.min(bytes.length, bodyStart + length))
      parsed = { ...head, body, framing: 'content-length', incomplete: body.length < length }
      at = bodyStart + body.length
    } else {
      // RFC 9112 §6.3(8): no length, so the body runs to the close.
      parsed = { ...head, body: bytes.subarray(bodyStart), framing: 'close', incomplete: !options.closed }
      at = bytes.length
    }
    responses.push(parsed)
    if (!interim) finals++
  }
  return { responses, trailing: bytes.subarray(at) }
}

/** How many complete final responses the bytes hold (the raw client's early-stop test). */
export function completeFinalResponses(bytes: Buffer, noBody?: (finalIndex: number) => boolean): number {
  return parseResponses(bytes, { closed: false, noBody }).responses
    .filter((r) => r.status >= 200 && !r.incomplete).length
}
