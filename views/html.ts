/**
 * HTML templating that escapes by default: every `${value}` in an html`...` template is escaped
 * unless it is itself Html (built by html`` or by trustedHtml for our own renderer's output).
 */
// The escaping rule lives in a leaf module so the domain (search excerpts) can use it too.
import { escapeHtml } from '../server/escape.js';

export { escapeHtml };

export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Part = Html | string | number | boolean | null | undefined | Part[];


function renderPart(part: Part): string {
  if (part === null || part === undefined || part === false || part === true) return '';
  if (part instanceof Html) return part.value;
  if (Array.isArray(part)) return part.map(renderPart).join('');
  return escapeHtml(String(part));
}

/** Tagged template: interpolations are escaped; arrays are joined; null/undefined/booleans render nothing. */
export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += renderPart(values[i]) + strings[i + 1]!;
  return new Html(out);
}

/**
 * Mark HTML as safe without escaping. Only for what the Markdown renderer produced (which escapes
 * and sanitises itself) and for fragments built from html``.
 */
export function trustedHtml(rendered: string): Html {
  return new Html(rendered);
}

/** Attribute helper for optional boolean attributes: attr(checked, 'checked'). */
export function attr(on: boolean, name: string): Html {
  return new Html(on ? ` ${name}` : '');
}
