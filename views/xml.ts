/**
 * XML templating that escapes by default, like html.ts: every `${value}` in an xml`...` template
 * is escaped for text and attributes alike, and characters XML 1.0 cannot carry at all (control
 * characters, lone surrogates, U+FFFE/U+FFFF) are replaced with U+FFFD so the document stays well formed.
 */

export class Xml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Part = Xml | string | number | null | undefined | false | Part[];

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
// Everything outside XML 1.0's Char production: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text safe inside an element or a quoted attribute. */
export function escapeXml(s: string): string {
  return s.replace(NOT_XML_CHAR, '\uFFFD').replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function renderPart(part: Part): string {
  if (part === null || part === undefined || part === false) return '';
  if (part instanceof Xml) return part.value;
  if (Array.isArray(part)) return part.map(renderPart).join('');
  return escapeXml(String(part));
}

/** Tagged template: interpolations are escaped; arrays are joined; null, undefined and false render nothing. */
export function xml(strings: TemplateStringsArray, ...values: Part[]): Xml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += renderPart(values[i]) + strings[i + 1]!;
  return new Xml(out);
}

export const XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n';
