// Where secret fields' values sit in a text: JSON (at any depth, and still when
// an excerpt cut it off mid-document), Python-style dict reprs in log lines,
// form bodies, query strings and key=value log lines.
import type { SecretFieldRule } from './secret-fields.ts'

/** A secret value's place in a text, without its quotes. */
export interface SecretSpan {
  field: string
  start: number
  end: number
  /** A bare JSON number: a mask put in its place needs quotes to keep the JSON valid. */
  bare?: boolean
}

// A quoted key and its colon: "name": (or 'name': as Python logs a dict, or \"name\": in JSON
// held in a JSON string, as a structured log keeps a body). Scanning goes on inside every
// value, so a secret nested in an escaped document is found as well.
const QUOTED_KEY = /(\\?["'])((?:(?!\1)(?:[^\\\n]|\\.)){1,128})\1\s*:\s*/g
// Its value: a string, quoted as the key may be, still counted when an excerpt cut it off; or a number.
const VALUE = /(\\?["'])((?:(?!\1)(?:[^\\]|\\.))*)(?:\1|$)|(-?\d[\d.eE+-]*)/dy
// name=value in form bodies, query strings and logfmt lines (name="a b" too).
const KEY_EQUALS = /(?<![\w.-])([A-Za-z_][\w.-]{0,127})=(?:"([^"]*)"?|([^\s&;,"'<>]*))/dg

export function secretSpans(text: string, isSecret: SecretFieldRule): SecretSpan[] {
  const spans: SecretSpan[] = []
  for (const key of text.matchAll(QUOTED_KEY)) {
    if (!isSecret(key[2]!)) continue
    VALUE.lastIndex = key.index + key[0].length
    const value = VALUE.exec(text)
    const at = value?.indices![2] ?? value?.indices![3]
    if (at && at[1] > at[0]) spans.push({ field: key[2]!, start: at[0], end: at[1], ...(value![3] !== undefined && { bare: true }) })
  }
  for (const match of text.matchAll(KEY_EQUALS)) {
    if (!isSecret(match[1]!)) continue
    const at = match.indices![2] ?? match.indices![3]
    if (at && at[1] > at[0]) spans.push({ field: match[1]!, start: at[0], end: at[1] })
  }
  return spans
}

/**
 * The values of secret fields in a body the harness sends, so they can be masked
 * wherever else they show up (echoed by the target, written to a log) even
 * without their field name. JSON is read whole (a secret object's every leaf);
 * any other body, or JSON cut short, by its spans.
 */
export function secretValues(body: string, isSecret: SecretFieldRule): { field: string; value: string }[] {
  const found: { field: string; value: string }[] = []
  const json = parseJson(body)
  if (json !== undefined) {
    collectJson(json, undefined, isSecret, found)
    return found
  }
  for (const span of secretSpans(body, isSecret)) {
    const raw = body.slice(span.start, span.end)
    found.push({ field: span.field, value: raw })
    // A form value is percent-encoded on the wire: the decoded one is what an echo shows.
    const decoded = decodeForm(raw)
    if (decoded !== raw) found.push({ field: span.field, value: decoded })
  }
  return found
}

function parseJson(text: string): unknown {
  if (!/^\s*[[{]/.test(text)) return undefined
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** Walks parsed JSON; below a secret field (`secretField`), every string or number leaf is secret. */
function collectJson(value: unknown, secretField: string | undefined, isSecret: SecretFieldRule, found: { field: string; value: string }[]): void {
  if (secretField !== undefined && (typeof value === 'string' || typeof value === 'number')) {
    found.push({ field: secretField, value: String(value) })
  } else if (Array.isArray(value)) {
    for (const item of value) collectJson(item, secretField, isSecret, found)
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) collectJson(item, secretField ?? (isSecret(key) ? key : undefined), isSecret, found)
  }
}

function decodeForm(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '))
  } catch {
    return raw
  }
}
