/**
 * HTML templating that escapes by default: every `${value}` in an html`...` template is escaped
 * unless it is itself Html (built by html`` or by trustedHtml for our own renderer's output).
 */
// The escaping rule lives in a leaf module so the domain (search excerpts) can use it too.
import { escapeHtml } from '../server/escape.js';

export { escapeHtml };

/**
 * A piece of Html this long is kept as its own part rather than joined into the template's string:
 * joining a megabyte-long article into a page whose chrome holds one character past Latin-1 (the
 * title's "—") widens the whole page to two bytes a character and copies it, and encoding that
 * held the event loop for over 100 ms on a 1 MiB page. Kept apart, each part is encoded on its own.
 */
export const LONG_PART = 64 * 1024;

/**
 * A part of Html: text, or HTML already encoded as UTF-8 (a long article rendered on a text thread
 * or inflated from the render cache comes as bytes, so the event loop never encodes it).
 */
export type Piece = string | Buffer;

export class Html {
  private readonly parts: readonly Piece[];
  private joined: string | undefined;

  constructor(value: Piece | readonly Piece[]) {
    this.parts = typeof value === 'string' || Buffer.isBuffer(value) ? [value] : value;
    this.joined = typeof value === 'string' ? value : undefined;
  }

  /** The whole HTML as one string (joined, and bytes decoded, once, on first use). */
  get value(): string {
    return (this.joined ??= this.parts.map((p) => (typeof p === 'string' ? p : p.toString('utf8'))).join(''));
  }

  /** Its parts, long ones (LONG_PART) and bytes apart from the short text around them; they join to `value`. */
  get pieces(): readonly Piece[] {
    return this.parts;
  }

  /** Its size: UTF-16 units of the text parts plus the bytes of the encoded ones. */
  get length(): number {
    let n = 0;
    for (const p of this.parts) n += p.length;
    return n;
  }

  /** Its size in UTF-8 bytes, encoding nothing. */
  byteLength(): number {
    let n = 0;
    for (const p of this.parts) n += typeof p === 'string' ? Buffer.byteLength(p, 'utf8') : p.length;
    return n;
  }

  /** UTF-8 bytes, each piece encoded on its own (see LONG_PART). */
  bytes(): Buffer {
    const encoded = this.parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p));
    return encoded.length === 1 ? encoded[0]! : Buffer.concat(encoded);
  }

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
  let parts: Piece[] | undefined;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v instanceof Html && (v.pieces.length > 1 || typeof v.pieces[0] !== 'string' || v.length >= LONG_PART)) {
      parts ??= [];
      for (const p of v.pieces) {
        if (typeof p === 'string' && p.length < LONG_PART) {
          out += p;
          continue;
        }
        if (out !== '') parts.push(out);
        parts.push(p);
        out = '';
      }
      out += strings[i + 1]!;
    } else {
      out += renderPart(v) + strings[i + 1]!;
    }
  }
  if (!parts) return new Html(out);
  if (out !== '') parts.push(out);
  return new Html(parts);
}

/**
 * Mark HTML as safe without escaping. Only for what the Markdown renderer produced (which escapes
 * and sanitises itself) and for fragments built from html``.
 */
export function trustedHtml(rendered: Piece): Html {
  return new Html(rendered);
}

/** Attribute helper for optional boolean attributes: attr(checked, 'checked'). */
export function attr(on: boolean, name: string): Html {
  return new Html(on ? ` ${name}` : '');
}
