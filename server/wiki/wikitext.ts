/**
 * MediaWiki wikitext to this wiki's Markdown (SPEC section 10), for `wiki import-xml`. The text is
 * parsed by wikiparser-node, a well-kept parser that reads wikitext as MediaWiki does into a full
 * tree (not regexes), and the tree is written out as Markdown: headings, bold and italic, lists,
 * tables, internal links as [[...]], external links, categories, <ref> as footnotes, redirects.
 * What has no Markdown form (templates, parser functions, unknown tags, tables too rich for a
 * Markdown table) is kept as visible text, in code so Markdown leaves it as it is, and counted:
 * never dropped. HTML comments, invisible in MediaWiki too, are left out and counted.
 */
import Parser from 'wikiparser-node';

/** What a conversion could not turn into Markdown, by kind. */
export interface Kept {
  templates: number;
  tags: number;
  tables: number;
  files: number;
  comments: number;
  /** Texts nested too deep to convert within the budget, kept whole as written. */
  whole: number;
}

export interface Converted {
  markdown: string;
  kept: Kept;
}

/** A node of wikiparser-node's tree, as far as this converter reads it. */
interface WNode {
  type: string;
  name?: string;
  data?: string;
  level?: number;
  bold?: boolean;
  italic?: boolean;
  closing?: boolean;
  selfClosing?: boolean;
  subtype?: string;
  childNodes: WNode[];
  getAttr?(name: string): string | true | undefined;
  toString(): string;
}

const emptyKept = (): Kept => ({ templates: 0, tags: 0, tables: 0, files: 0, comments: 0, whole: 0 });

/** Code that shows `text` exactly as written: inline, or a fenced block when it spans lines. */
function verbatim(text: string): string {
  if (text.includes('\n')) {
    const fence = '`'.repeat(Math.max(3, longestRun(text, '`') + 1));
    return `\n${fence}wikitext\n${text}\n${fence}\n`;
  }
  const ticks = '`'.repeat(longestRun(text, '`') + 1);
  return `${ticks}${text.startsWith('`') || text.endsWith('`') ? ` ${text} ` : text}${ticks}`;
}

function longestRun(text: string, ch: string): number {
  let best = 0;
  let run = 0;
  for (const c of text) {
    run = c === ch ? run + 1 : 0;
    best = Math.max(best, run);
  }
  return best;
}

const INLINE_TAGS: Record<string, string> = { b: '**', strong: '**', i: '*', em: '*', s: '~~', del: '~~', strike: '~~' };
/** Tags whose marks go but whose content stays (their look has no Markdown form). */
const TRANSPARENT_TAGS = new Set(['span', 'div', 'small', 'big', 'u', 'ins', 'sup', 'sub', 'center', 'font', 'abbr', 'cite', 'p', 'blockquote', 'tt', 'code', 'var', 'kbd', 'samp', 'mark', 'q', 'dfn', 'bdi', 'time', 'data']);

class Writer {
  readonly kept = emptyKept();
  private readonly notes: string[] = [];
  private readonly named = new Map<string, number>();

  constructor(private readonly source: string) {}

  convert(): string {
    const redirect = /^\s*#REDIRECT\s*:?\s*\[\[([^\]|\n]+)(?:\|[^\]\n]*)?\]\]/i.exec(this.source);
    if (redirect) return `#REDIRECT [[${redirect[1]!.trim()}]]\n`;
    const root = Parser.parse(this.source) as unknown as WNode;
    let out = this.nodes(root.childNodes).replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
    if (this.notes.length) out += `\n\n${this.notes.map((n, i) => `[^${i + 1}]: ${n}`).join('\n')}`;
    return `${out}\n`;
  }

  private nodes(list: readonly WNode[]): string {
    return list.map((n) => this.node(n)).join('');
  }

  private child(n: WNode, type: string): WNode | undefined {
    return n.childNodes.find((c) => c.type === type);
  }

  private node(n: WNode): string {
    switch (n.type) {
      case 'text':
        return n.data ?? '';
      case 'quote':
        return n.bold && n.italic ? '***' : n.bold ? '**' : '*';
      case 'heading': {
        const title = this.child(n, 'heading-title');
        return `${'#'.repeat(Math.min(6, n.level ?? 2))} ${title ? this.nodes(title.childNodes).trim() : ''}`;
      }
      case 'list':
        return listPrefix(String(n).trim());
      case 'dd':
        return '\n> ';
      case 'hr':
        return '\n---\n';
      case 'link': {
        const target = this.child(n, 'link-target');
        const label = this.child(n, 'link-text');
        const t = target ? this.nodes(target.childNodes).trim() : '';
        const l = label ? this.nodes(label.childNodes).trim() : '';
        return l && l !== t ? `[[${t}|${l}]]` : `[[${t}]]`;
      }
      case 'category': {
        const target = this.child(n, 'link-target');
        return `[[${target ? this.nodes(target.childNodes).trim() : String(n)}]]`;
      }
      case 'ext-link': {
        const url = this.child(n, 'ext-link-url');
        const label = this.child(n, 'ext-link-text');
        const u = url ? String(url).trim() : '';
        const l = label ? this.nodes(label.childNodes).trim() : '';
        return l ? `[${l.replace(/[[\]]/g, '\\$&')}](${u.replace(/[()\s]/g, encodeURIComponent)})` : `<${u}>`;
      }
      case 'free-ext-link':
        return String(n);
      case 'ext':
        return this.ext(n);
      case 'html':
        return this.html(n);
      case 'comment':
        this.kept.comments += 1;
        return '';
      case 'double-underscore':
        return '';
      case 'table':
        return this.table(n);
      case 'file':
      case 'gallery-image':
      case 'imagemap-image':
        this.kept.files += 1;
        return verbatim(String(n));
      case 'template':
      case 'magic-word':
      case 'arg':
        this.kept.templates += 1;
        return verbatim(String(n));
      case 'noinclude':
      case 'include':
        return '';
      default:
        // Anything else of the tree (a parameter, an attribute) is written as it came.
        return n.childNodes.length ? this.nodes(n.childNodes) : String(n);
    }
  }

  /** <ref> becomes a footnote (a named one once, however often it is cited); <references /> is where Markdown puts them anyway. */
  private ext(n: WNode): string {
    const name = (n.name ?? '').toLowerCase();
    const inner = this.child(n, 'ext-inner');
    const innerText = inner ? String(inner) : '';
    if (name === 'ref') {
      const key = typeof n.getAttr?.('name') === 'string' ? (n.getAttr!('name') as string) : undefined;
      if (key !== undefined && this.named.has(key)) return `[^${this.named.get(key)}]`;
      const text = inner ? this.nodes(inner.childNodes).replace(/\s*\n\s*/g, ' ').trim() : '';
      if (!text && key === undefined) return '';
      this.notes.push(text || ' ');
      const number = this.notes.length;
      if (key !== undefined) this.named.set(key, number);
      return `[^${number}]`;
    }
    if (name === 'references') return '';
    if (name === 'nowiki') return innerText.replace(/([\\`*_[\]#<>|])/g, '\\$1');
    if (name === 'pre' || name === 'source' || name === 'syntaxhighlight') {
      const lang = name === 'pre' ? '' : String(n.getAttr?.('lang') ?? '');
      const fence = '`'.repeat(Math.max(3, longestRun(innerText, '`') + 1));
      return `\n${fence}${lang}\n${innerText.replace(/^\n/, '')}\n${fence}\n`;
    }
    if (name === 'code' || name === 'tt') return verbatim(innerText);
    if (name === 'math') return verbatim(innerText);
    this.kept.tags += 1;
    return verbatim(String(n));
  }

  private html(n: WNode): string {
    const name = (n.name ?? '').toLowerCase();
    if (name === 'br') return '\\\n';
    if (Object.hasOwn(INLINE_TAGS, name)) return INLINE_TAGS[name]!;
    if (TRANSPARENT_TAGS.has(name)) return '';
    this.kept.tags += 1;
    return verbatim(String(n));
  }

  /** A table as a Markdown table when each cell is one line of inline text; else kept as written. */
  private table(n: WNode): string {
    const rows: { cells: string[]; header: boolean }[] = [];
    let current: { cells: string[]; header: boolean } | undefined;
    const addCell = (td: WNode) => {
      if (!current) {
        current = { cells: [], header: true };
        rows.push(current);
      }
      const inner = this.child(td, 'td-inner');
      current.cells.push(inner ? this.nodes(inner.childNodes).trim() : '');
      if (td.subtype !== 'th') current.header = false;
    };
    let complex = false;
    for (const c of n.childNodes) {
      if (c.type === 'td') addCell(c);
      else if (c.type === 'tr') {
        current = undefined;
        for (const td of c.childNodes) if (td.type === 'td') addCell(td);
        if (current === undefined) rows.push({ cells: [], header: false });
      } else if (c.type === 'table-syntax' || c.type === 'table-attrs' || c.type === 'table-attr' || c.type === 'table-attr-dirty') continue;
      else if (c.type === 'text' && (c.data ?? '').trim() === '') continue;
      else complex = true;
    }
    const filled = rows.filter((r) => r.cells.length);
    const width = Math.max(0, ...filled.map((r) => r.cells.length));
    if (complex || filled.length === 0 || filled.some((r) => r.cells.some((cell) => cell.includes('\n') || cell.includes('```')))) {
      this.kept.tables += 1;
      return verbatim(String(n));
    }
    const line = (cells: string[]) => `| ${[...cells, ...Array(width - cells.length).fill('')].map((cell) => cell.replace(/\|/g, '\\|')).join(' | ')} |`;
    const [head, ...body] = filled[0]!.header ? filled : [{ cells: Array(width).fill(''), header: true }, ...filled];
    return `\n\n${[line(head!.cells), `|${' --- |'.repeat(width)}`, ...body.map((r) => line(r.cells))].join('\n')}\n\n`;
  }
}

/** A wikitext list marker ("**", "#", ":", ";") as Markdown at the start of its line. */
function listPrefix(marks: string): string {
  const depth = marks.length;
  const last = marks[depth - 1];
  const indent = '  '.repeat(Math.max(0, depth - 1));
  if (last === '#') return `${indent}1. `;
  if (last === '*') return `${indent}- `;
  if (last === ';') return `${indent}**`;
  return `${'> '.repeat(depth)}`;
}

/**
 * Brackets nested deeper than this ({{ in {{, [[ in [[) are beyond any real page, and the parser
 * and the tree walk recurse per level: such a text is kept whole, as written, rather than risk the stack.
 */
export const MAX_NESTING = 100;

/** How deep `{{` and `[[` nest in `text`, in one pass. */
export function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length - 1; i++) {
    const pair = text[i]! + text[i + 1]!;
    if (pair === '{{' || pair === '[[') {
      depth += 1;
      max = Math.max(max, depth);
      i += 1;
    } else if ((pair === '}}' || pair === ']]') && depth > 0) {
      depth -= 1;
      i += 1;
    }
  }
  return max;
}

/** Convert one revision's wikitext: linear in its length, with nesting bounded by MAX_NESTING. */
export function wikitextToMarkdown(source: string): Converted {
  const text = source.replace(/\r\n?/g, '\n');
  if (nestingDepth(text) > MAX_NESTING) return { markdown: `${verbatim(text).trim()}\n`, kept: { ...emptyKept(), whole: 1 } };
  const w = new Writer(text);
  const markdown = w.convert();
  return { markdown, kept: w.kept };
}
