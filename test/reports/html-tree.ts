// A rendered page as parse5 reads it, the way a browser's parser would: the
// HTML tests query elements, attributes and text of this tree, not the string.
import { parse } from 'parse5'

// A minimal view of parse5's tree: elements have attrs and children, text nodes a value.
export interface Node {
  nodeName: string
  attrs?: { name: string; value: string }[]
  childNodes?: Node[]
  content?: Node
  value?: string
}

export function* walk(node: Node): Generator<Node> {
  yield node
  for (const child of node.childNodes ?? []) yield* walk(child)
}

export const attr = (node: Node, name: string) => node.attrs?.find((a) => a.name === name)?.value
export const textOf = (node: Node): string => [...walk(node)].map((n) => (n.nodeName === '#text' ? n.value : '')).join('')

export function parseHtml(html: string) {
  const nodes = [...walk(parse(html) as unknown as Node)]
  return { nodes, elements: (name: string) => nodes.filter((node) => node.nodeName === name) }
}
