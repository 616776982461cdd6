/** Plain text of parsed Markdown, for the search index and its excerpts (no syntax, no URLs). */
import type { Token } from 'markdown-it';

const BLOCK_TEXT = new Set(['fence', 'code_block']);

/** The readable words of a token stream: link labels, not targets; code kept; categories dropped. */
export function plainText(tokens: Token[]): string {
  return tidyPlain(plainRun(tokens, 0, tokens.length));
}

/**
 * The words of tokens [from, to) before their white space is tidied: the texts of consecutive runs
 * of a stream, joined, and then tidied, are plainText of the whole (markdown/editFacts.ts).
 */
export function plainRun(tokens: Token[], from: number, to: number): string {
  const out: string[] = [];
  for (let i = from; i < to; i++) {
    const t = tokens[i]!;
    if (t.type === 'inline') {
      for (const c of t.children ?? []) {
        if (c.type === 'text' || c.type === 'code_inline') out.push(c.content);
        else if (c.type === 'softbreak' || c.type === 'hardbreak') out.push(' ');
        else if (c.type === 'image') out.push(c.content);
      }
    } else if (BLOCK_TEXT.has(t.type)) out.push(t.content);
    else if (t.type === 'footnote_open') out.push(' ');
    if (t.block && t.nesting === -1) out.push('\n');
  }
  return out.join('');
}

/** Runs of spaces and tabs, and of blank lines, made one; the ends trimmed. */
export function tidyPlain(text: string): string {
  // Runs of spaces and tabs become one space. A lone space, by far the commonest run, is not
  // matched at all: replacing each one cost five times the rest of this function. Most texts have
  // no run of spaces at all, and a search for one is cheaper than the replace's scan.
  if (text.includes('  ') || text.includes('\t')) text = text.replace(/(?: [ \t]|\t)[ \t]*/g, ' ');
  if (text.includes('\n\n')) text = text.replace(/\n{2,}/g, '\n');
  return text.trim();
}
