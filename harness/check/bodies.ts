/**
 * A JSON document of exactly `totalBytes` bytes: the valid body with one string
 * field padded. Being valid JSON, it is accepted on its merits wherever no size
 * limit stops it, so only the limit decides the answer.
 */
export function paddedJsonBody(validBody: Record<string, unknown>, paddingField: string, totalBytes: number): string {
  const base = JSON.stringify({ ...validBody, [paddingField]: '' })
  const padding = totalBytes - Buffer.byteLength(base)
  if (padding < 0) throw new Error(`the valid body is already ${Buffer.byteLength(base)} bytes, more than ${totalBytes}`)
  return JSON.stringify({ ...validBody, [paddingField]: 'a'.repeat(padding) })
}
