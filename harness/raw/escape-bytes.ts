/**
 * Bytes as one printable line: CR, LF and TAB as \r \n \t, other control and
 * non-ASCII bytes as \xNN, a backslash doubled. What a report shows of a raw
 * request, and (within `limit`) what `printf` turns back into the same bytes.
 */
export function escapeBytes(bytes: Uint8Array, limit = 1024): string {
  let out = ''
  const end = Math.min(bytes.length, limit)
  for (let i = 0; i < end; i++) {
    const b = bytes[i]!
    if (b === 0x0d) out += '\\r'
    else if (b === 0x0a) out += '\\n'
    else if (b === 0x09) out += '\\t'
    else if (b === 0x5c) out += '\\\\'
    else if (b < 0x20 || b >= 0x7f) out += `\\x${b.toString(16).padStart(2, '0')}`
    else out += String.fromCharCode(b)
  }
  return bytes.length > limit ? `${out}… [${bytes.length - limit} more bytes]` : out
}
