// Target-controlled text may carry characters that XML 1.0 forbids (C0
// controls, lone surrogates, U+FFFE/U+FFFF) or that a terminal obeys (ESC
// sequences that recolour or clear the screen, a bare CR that overwrites the
// line). Every renderer that prints such text passes it through here first.

// C0 except tab and LF (CR is normalised to LF first), DEL, C1, the two
// non-characters, and surrogates without their pair.
const UNSAFE =
  /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

export function stripControlChars(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(UNSAFE, '')
}

/** One line of text for attributes and table cells: whitespace runs become one space. */
export function oneLine(text: string): string {
  return stripControlChars(text).replace(/\s+/g, ' ').trim()
}
