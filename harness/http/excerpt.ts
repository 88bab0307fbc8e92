/** How much of a body the evidence keeps: enough to recognise it, never a 10 MB page. */
export const EXCERPT_BYTES = 2048

/**
 * A printable excerpt of body bytes: UTF-8 where it decodes, control bytes shown
 * as \xNN so binary garbage stays readable and cannot reach a terminal raw.
 */
export function excerpt(bytes: Uint8Array, limit = EXCERPT_BYTES): string {
  const slice = bytes.subarray(0, limit)
  const text = new TextDecoder('utf-8', { fatal: false }).decode(slice)
  // eslint-disable-next-line no-control-regex
  const printable = text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
  return bytes.length > limit ? `${printable}… [${bytes.length - limit} more bytes]` : printable
}
