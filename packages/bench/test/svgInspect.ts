// Test helpers: check that an SVG string is well-formed XML and count the marks of a named vega layer.
import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** Throws with the parser's message when `svg` is not well-formed XML. */
export function assertWellFormed(svg: string): void {
  const result = XMLValidator.validate(svg);
  if (result !== true) throw new Error(`SVG is not well-formed XML: ${result.err.msg} at line ${result.err.line}`);
}

type XmlNode = Record<string, unknown>;

function walk(node: unknown, visit: (tag: string, el: XmlNode) => void): void {
  if (Array.isArray(node)) {
    for (const child of node) walk(child, visit);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  for (const [tag, value] of Object.entries(node as XmlNode)) {
    if (tag === ':@' || tag === '#text') continue;
    visit(tag, node as XmlNode);
    walk(value, visit);
  }
}

/**
 * Counts the `<g>` mark groups whose class contains `classPart` (for example `series_marks`: vega draws one
 * such group, holding one `<path>`, per line series) and the `<path>` elements inside them.
 */
export function countMarks(svg: string, classPart: string): { groups: number; paths: number; labels: string[] } {
  const doc = new XMLParser({ ignoreAttributes: false, preserveOrder: true, attributeNamePrefix: '' }).parse(svg) as unknown;
  let groups = 0;
  let paths = 0;
  const labels: string[] = [];
  walk(doc, (tag, el) => {
    const attrs = (el[':@'] ?? {}) as Record<string, string>;
    if (tag !== 'g' || !(attrs.class ?? '').split(/\s+/).includes(classPart)) return;
    groups++;
    walk(el[tag], (childTag, child) => {
      if (childTag !== 'path') return;
      paths++;
      labels.push(((child[':@'] ?? {}) as Record<string, string>)['aria-label'] ?? '');
    });
  });
  return { groups, paths, labels };
}
