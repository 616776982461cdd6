/**
 * Generated Markdown: article-like pages of a few KB (headings, paragraphs, lists, tables, wiki links
 * to existing and missing pages, categories) and the small edits that make each next revision.
 */
import { Random } from './random.js';
import { CATEGORY_NAMES, capitalize } from './words.js';

export interface Corpus {
  rng: Random;
  words: readonly string[];
  /** Titles of every page the wiki will have (links may point at pages created later). */
  titles: readonly string[];
  /** Titles no page will ever have: the red links. */
  red: readonly string[];
}

const RED_LINK_SHARE = 0.15;
const SMALLEST = 1_500;
const LARGEST = 7_000;

function word(c: Corpus): string {
  return c.words[c.rng.zipf(c.words.length)]!;
}

function linkTarget(c: Corpus): string {
  return c.rng.chance(RED_LINK_SHARE) ? c.rng.pick(c.red) : c.titles[c.rng.zipf(c.titles.length)]!;
}

function wikiLink(c: Corpus): string {
  const target = linkTarget(c);
  const r = c.rng.next();
  if (r < 0.6) return `[[${target}]]`;
  if (r < 0.9) return `[[${target}|${word(c)} ${word(c)}]]`;
  return `[[${target}#History]]`;
}

function sentence(c: Corpus): string {
  const parts: string[] = [];
  for (let n = c.rng.int(6, 18); n > 0; n--) parts.push(word(c));
  if (c.rng.chance(0.45)) parts.splice(c.rng.int(1, parts.length), 0, wikiLink(c));
  if (c.rng.chance(0.1)) parts.splice(c.rng.int(1, parts.length), 0, `**${word(c)} ${word(c)}**`);
  if (c.rng.chance(0.05)) parts.push(`([source](https://example.org/${word(c)}/${c.rng.int(1, 9999)}))`);
  const punct = c.rng.chance(0.1) ? (c.rng.chance(0.5) ? ',' : ';') : '';
  if (punct) parts[c.rng.int(0, parts.length - 2)] += punct;
  return capitalize(parts.join(' ')) + '.';
}

function paragraph(c: Corpus, sentences = c.rng.int(2, 6)): string {
  const out: string[] = [];
  for (let i = 0; i < sentences; i++) out.push(sentence(c));
  return out.join(' ');
}

function heading(c: Corpus): string {
  const n = c.rng.int(1, 3);
  const ws: string[] = [];
  for (let i = 0; i < n; i++) ws.push(word(c));
  return capitalize(ws.join(' '));
}

function list(c: Corpus, ordered: boolean): string[] {
  const items: string[] = [];
  for (let i = 1, n = c.rng.int(3, 7); i <= n; i++) items.push(`${ordered ? `${i}.` : '-'} ${paragraph(c, 1)}`);
  return items;
}

function table(c: Corpus): string[] {
  const rows = ['| Year | Event | Notes |', '| ---: | --- | --- |'];
  for (let i = 0, n = c.rng.int(3, 6); i < n; i++) {
    rows.push(`| ${c.rng.int(1960, 2025)} | ${capitalize(word(c))} ${word(c)} | ${word(c)} ${word(c)} ${word(c)} |`);
  }
  return rows;
}

function block(c: Corpus): string[] {
  const r = c.rng.next();
  if (r < 0.55) return [paragraph(c)];
  if (r < 0.75) return list(c, false);
  if (r < 0.83) return list(c, true);
  if (r < 0.9) return table(c);
  if (r < 0.95) return ['```', `peer ${word(c)} --${word(c)} ${c.rng.int(1, 65535)}`, `peer ${word(c)} ${word(c)}`, '```'];
  return [`> ${paragraph(c, 2)}`];
}

/** A whole new article: intro, 3–6 sections of blocks, maybe a footnote, categories at the foot. */
export function articleText(c: Corpus, title: string): string {
  const lines: string[] = [`The **${title}** is ${paragraph(c, 1).replace(/^./, (ch) => ch.toLowerCase())} ${paragraph(c, c.rng.int(1, 4))}`];
  const footnote = c.rng.chance(0.2);
  if (footnote) lines[0] += '[^1]';
  for (let s = c.rng.int(3, 6); s > 0; s--) {
    lines.push('', `## ${heading(c)}`);
    for (let b = c.rng.int(1, 3); b > 0; b--) lines.push('', ...block(c));
    if (c.rng.chance(0.2)) lines.push('', `### ${heading(c)}`, '', paragraph(c));
  }
  if (footnote) lines.push('', `[^1]: ${paragraph(c, 1)} https://example.org/ref/${c.rng.int(1, 99999)}`);
  lines.push('');
  for (let k = c.rng.int(1, 2); k > 0; k--) lines.push(`[[Category:${c.rng.pick(CATEGORY_NAMES)}]]`);
  return lines.join('\n') + '\n';
}

export function redirectText(target: string): string {
  return `#REDIRECT [[${target}]]\n`;
}

const PROSE = /^(?:[A-Z*]|- |\d+\. |> )/;

/** Indexes of lines an editor would touch: paragraphs and list items, not headings, tables or code. */
function proseLines(lines: string[]): number[] {
  const out: number[] = [];
  let code = false;
  lines.forEach((l, i) => {
    if (l.startsWith('```')) code = !code;
    else if (!code && PROSE.test(l)) out.push(i);
  });
  return out;
}

type Edit = (c: Corpus, lines: string[], at: number) => void;

const replaceWord: Edit = (c, lines, at) => {
  const tokens = lines[at]!.split(' ');
  const plain = tokens.flatMap((t, i) => (/^[a-z]+[.,;]?$/.test(t) ? [i] : []));
  if (plain.length === 0) return appendSentence(c, lines, at);
  const i = c.rng.pick(plain);
  tokens[i] = tokens[i]!.replace(/^[a-z]+/, word(c));
  lines[at] = tokens.join(' ');
};
const appendSentence: Edit = (c, lines, at) => {
  lines[at] += ' ' + sentence(c);
};
const insertBlock: Edit = (c, lines, at) => {
  if (/^(?:- |\d+\. )/.test(lines[at]!)) lines.splice(at + 1, 0, `- ${paragraph(c, 1)}`);
  else lines.splice(at + 1, 0, '', paragraph(c, c.rng.int(1, 3)));
};
const addLink: Edit = (c, lines, at) => {
  const tokens = lines[at]!.split(' ');
  tokens.splice(c.rng.int(1, tokens.length), 0, wikiLink(c));
  lines[at] = tokens.join(' ');
};
const removeSentence: Edit = (c, lines, at) => {
  const sentences = lines[at]!.split(/(?<=\.) /);
  if (sentences.length < 2) {
    // A one-sentence list item goes; a one-sentence paragraph stays (the page keeps its shape).
    if (/^(?:- |\d+\. )/.test(lines[at]!)) lines.splice(at, 1);
    return;
  }
  sentences.splice(c.rng.int(1, sentences.length - 1), 1);
  lines[at] = sentences.join(' ');
};
const addSection: Edit = (c, lines) => {
  let at = lines.length;
  while (at > 0 && (lines[at - 1] === '' || lines[at - 1]!.startsWith('[[Category:'))) at--;
  lines.splice(at, 0, '', `## ${heading(c)}`, '', paragraph(c));
};

/** The next revision: one small edit of the text, kept between a few hundred bytes and ~7 KB. */
export function editText(c: Corpus, text: string): string {
  const lines = text.split('\n');
  const prose = proseLines(lines);
  if (prose.length === 0) return text + `\n${paragraph(c)}\n`;
  const at = c.rng.pick(prose);
  const r = c.rng.next();
  if (text.length > LARGEST) removeSentence(c, lines, at);
  else if (text.length < SMALLEST && r < 0.5) insertBlock(c, lines, at);
  else if (r < 0.45) replaceWord(c, lines, at);
  else if (r < 0.65) appendSentence(c, lines, at);
  else if (r < 0.75) insertBlock(c, lines, at);
  else if (r < 0.85) removeSentence(c, lines, at);
  else if (r < 0.95) addLink(c, lines, at);
  else addSection(c, lines, at);
  const next = lines.join('\n');
  return next === text ? `${text}\n${sentence(c)}\n` : next;
}

/** What a vandal leaves: a section blanked or replaced with shouting. */
export function vandalised(c: Corpus, text: string): string {
  const lines = text.split('\n');
  const prose = proseLines(lines);
  if (prose.length === 0) return 'LOL\n';
  lines[c.rng.pick(prose)] = c.rng.chance(0.5) ? '' : `${word(c).toUpperCase()} IS STUPID!!!!`;
  return lines.join('\n');
}

/** Exactly `bytes` bytes of ASCII lines that share nothing with any other call's output. */
export function hugeText(rng: Random, bytes: number, words: readonly string[]): string {
  const parts: string[] = [];
  let size = 0;
  let line = 0;
  while (size < bytes) {
    line++;
    const ws: string[] = [`${line}-${rng.int(0, 1e9).toString(36)}`];
    for (let n = rng.int(5, 14); n > 0; n--) ws.push(words[rng.zipf(words.length)]!);
    const text = line % 60 === 1 ? `## ${capitalize(ws.join(' '))}\n` : `${capitalize(ws.join(' '))}.\n`;
    parts.push(text);
    size += text.length;
  }
  const all = parts.join('');
  return all.slice(0, bytes - 1) + '\n';
}
