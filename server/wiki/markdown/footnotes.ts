/** Footnotes ([^label] references, [^label]: definitions, ^[inline] notes) in linear time, as markdown-it-footnote renders them. */
import type { RendererRule, StateBlock, StateCore, StateInline, Token } from 'markdown-it';
import type MarkdownIt from 'markdown-it';

// Our own rules rather than markdown-it-footnote 4.0, whose output we keep byte for byte, because
// that plugin is quadratic twice over: its tail rule rebuilds the whole token array for every note
// (state.tokens.concat, 5,000 notes took 1.5 s), and its reference rule scans from every "[^" to
// the next space or "]", so a line of "[^[^[^..." after one definition took 6 s for 80 KB.

/** One numbered note: a definition's label and how often it is cited, or an inline note's tokens. */
interface Note {
  label?: string;
  /** Citations so far; each gets its own back link. */
  count: number;
  content?: string;
  tokens?: Token[];
}

/** What the rules share through env during one parse. */
interface NotesEnv {
  footnotes?: {
    /** Defined labels → note number, -1 until first cited. Exists once a definition is seen. */
    refs?: Map<string, number>;
    list?: Note[];
  };
  /** Set while an inline note's text is parsed: notes do not nest (each level would parse its text again). */
  inInlineNote?: boolean;
}

const notesOf = (env: unknown): NotesEnv => env as NotesEnv;

/**
 * Where the label of "[^label" at `start` ends (the index of its "]"), or -1. As in GFM, a label has
 * no space, line end or "[", so every scan stops at the next "[" and all scans together stay linear.
 */
function labelEnd(src: string, start: number, max: number): number {
  for (let pos = start + 2; pos < max; pos++) {
    const c = src.charCodeAt(pos);
    if (c === 0x5d /* ] */) return pos === start + 2 ? -1 : pos;
    if (c === 0x20 || c === 0x0a || c === 0x5b /* [ */) return -1;
  }
  return -1;
}

/** Block rule for "[^label]: text": the definition's blocks, moved to the references list by footnoteTail. */
function footnoteDef(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
  const start = state.bMarks[startLine]! + state.tShift[startLine]!;
  const max = state.eMarks[startLine]!;
  if (start + 4 > max || state.src.charCodeAt(start) !== 0x5b || state.src.charCodeAt(start + 1) !== 0x5e) return false;
  const close = labelEnd(state.src, start, max);
  if (close < 0 || close + 1 >= max || state.src.charCodeAt(close + 1) !== 0x3a /* : */) return false;
  if (silent) return true;
  const env = notesOf(state.env);
  env.footnotes ??= {};
  env.footnotes.refs ??= new Map();
  const label = state.src.slice(start + 2, close);
  env.footnotes.refs.set(label, -1);

  const open = new state.Token('footnote_reference_open', '', 1);
  open.meta = { label };
  open.level = state.level++;
  state.tokens.push(open);
  parseNoteBody(state, startLine, endLine, close + 2);
  const end = new state.Token('footnote_reference_close', '', -1);
  end.level = --state.level;
  state.tokens.push(end);
  return true;
}

/** Parse the rest of the definition's line, from `afterColon`, and its indented continuation as the note's blocks (as the plugin does). */
function parseNoteBody(state: StateBlock, startLine: number, endLine: number, afterColon: number): void {
  const start = state.bMarks[startLine]! + state.tShift[startLine]!;
  const max = state.eMarks[startLine]!;
  const old = { bMark: state.bMarks[startLine]!, tShift: state.tShift[startLine]!, sCount: state.sCount[startLine]!, parentType: state.parentType };
  const initial = state.sCount[startLine]! + afterColon - start;
  let offset = initial;
  let pos = afterColon;
  for (; pos < max; pos++) {
    const ch = state.src.charCodeAt(pos);
    if (ch === 0x09) offset += 4 - (offset % 4);
    else if (ch === 0x20) offset++;
    else break;
  }
  state.tShift[startLine] = pos - afterColon;
  state.sCount[startLine] = offset - initial;
  state.bMarks[startLine] = afterColon;
  state.blkIndent += 4;
  // Not one of the typed parent types, but markdown-it only compares parentType with its own names.
  state.parentType = 'footnote' as string as StateBlock['parentType'];
  if (state.sCount[startLine]! < state.blkIndent) state.sCount[startLine]! += state.blkIndent;

  state.md.block.tokenize(state, startLine, endLine);

  state.parentType = old.parentType;
  state.blkIndent -= 4;
  state.tShift[startLine] = old.tShift;
  state.sCount[startLine] = old.sCount;
  state.bMarks[startLine] = old.bMark;
}

/** Inline rule for "^[text]": a note whose text is written in place. */
function footnoteInline(state: StateInline, silent: boolean): boolean {
  const start = state.pos;
  const max = state.posMax;
  if (start + 2 >= max || state.src.charCodeAt(start) !== 0x5e || state.src.charCodeAt(start + 1) !== 0x5b) return false;
  const env = notesOf(state.env);
  if (env.inInlineNote) return false;
  const end = state.md.helpers.parseLinkLabel(state, start + 1);
  if (end < 0) return false;
  if (!silent) {
    env.footnotes ??= {};
    const list = (env.footnotes.list ??= []);
    const content = state.src.slice(start + 2, end);
    const tokens: Token[] = [];
    env.inInlineNote = true;
    try {
      state.md.inline.parse(content, state.md, state.env, tokens);
    } finally {
      env.inInlineNote = false;
    }
    // Numbered after its text, which may cite other notes first (the plugin gave both one number).
    state.push('footnote_ref', '', 0).meta = { id: list.length };
    list.push({ content, tokens, count: 0 });
  }
  state.pos = end + 1;
  return true;
}

/** Inline rule for "[^label]" where the label has a definition somewhere in the page. */
function footnoteRef(state: StateInline, silent: boolean): boolean {
  const start = state.pos;
  const max = state.posMax;
  const refs = notesOf(state.env).footnotes?.refs;
  if (!refs || start + 3 > max || state.src.charCodeAt(start) !== 0x5b || state.src.charCodeAt(start + 1) !== 0x5e) return false;
  const close = labelEnd(state.src, start, max);
  if (close < 0) return false;
  const label = state.src.slice(start + 2, close);
  const known = refs.get(label);
  if (known === undefined) return false;
  if (!silent) {
    const footnotes = notesOf(state.env).footnotes!;
    const list = (footnotes.list ??= []);
    let id = known;
    if (id < 0) {
      id = list.length;
      list.push({ label, count: 0 });
      refs.set(label, id);
    }
    const note = list[id]!;
    state.push('footnote_ref', '', 0).meta = { id, subId: note.count, label };
    note.count++;
  }
  state.pos = close + 1;
  return true;
}

/** Core rule: take the definitions out of the flow and append the numbered references list, in one pass. */
function footnoteTail(state: StateCore): void {
  const footnotes = notesOf(state.env).footnotes;
  if (!footnotes) return;
  const bodies = new Map<string, Token[]>();
  const kept: Token[] = [];
  // A definition can hold another ("[^a]: [^b]: text"); each keeps its own blocks.
  const open: Token[][] = [];
  for (const tok of state.tokens) {
    if (tok.type === 'footnote_reference_open') {
      const body: Token[] = [];
      bodies.set(String(tok.meta.label), body);
      open.push(body);
    } else if (tok.type === 'footnote_reference_close') {
      open.pop();
    } else (open[open.length - 1] ?? kept).push(tok);
  }
  const list = footnotes.list ?? [];
  if (list.length > 0) appendList(state, kept, list, bodies);
  state.tokens = kept;
}

/** Push the references list: each note's blocks, with its back links inside the last paragraph. */
function appendList(state: StateCore, out: Token[], list: Note[], bodies: Map<string, Token[]>): void {
  out.push(new state.Token('footnote_block_open', '', 1));
  list.forEach((note, id) => {
    const open = new state.Token('footnote_open', '', 1);
    open.meta = { id, label: note.label };
    out.push(open);
    if (note.tokens) {
      const p = new state.Token('paragraph_open', 'p', 1);
      p.block = true;
      const inline = new state.Token('inline', '', 0);
      inline.children = note.tokens;
      inline.content = note.content ?? '';
      const pc = new state.Token('paragraph_close', 'p', -1);
      pc.block = true;
      out.push(p, inline, pc);
    } else if (note.label !== undefined) {
      for (const t of bodies.get(note.label) ?? []) out.push(t);
    }
    const last = out[out.length - 1]!.type === 'paragraph_close' ? out.pop() : undefined;
    for (let subId = 0; subId < Math.max(note.count, 1); subId++) {
      const anchor = new state.Token('footnote_anchor', '', 0);
      anchor.meta = { id, subId, label: note.label };
      out.push(anchor);
    }
    if (last) out.push(last);
    out.push(new state.Token('footnote_close', '', -1));
  });
  out.push(new state.Token('footnote_block_close', '', -1));
}

/** "1", or "1:2" for the second citation of note 1. */
function refId(token: Token): string {
  const n = String(Number(token.meta.id) + 1);
  return Number(token.meta.subId) > 0 ? `${n}:${token.meta.subId}` : n;
}

const renderRef: RendererRule = (tokens, idx) => {
  const token = tokens[idx]!;
  const id = refId(token);
  return `<sup class="footnote-ref"><a href="#fn${Number(token.meta.id) + 1}" id="fnref${id}">[${id}]</a></sup>`;
};

/** Install the footnote rules and renderers on `md` (in the places markdown-it-footnote used). */
export function footnotes(md: MarkdownIt): void {
  md.block.ruler.before('reference', 'footnote_def', footnoteDef, { alt: ['paragraph', 'reference'] });
  md.inline.ruler.after('image', 'footnote_inline', footnoteInline);
  md.inline.ruler.after('footnote_inline', 'footnote_ref', footnoteRef);
  md.core.ruler.after('inline', 'footnote_tail', footnoteTail);
  md.renderer.rules.footnote_ref = renderRef;
  md.renderer.rules.footnote_block_open = () => '<hr class="footnotes-sep">\n<section class="footnotes">\n<ol class="footnotes-list">\n';
  md.renderer.rules.footnote_block_close = () => '</ol>\n</section>\n';
  md.renderer.rules.footnote_open = (tokens, idx) => `<li id="fn${refId(tokens[idx]!)}" class="footnote-item">`;
  md.renderer.rules.footnote_close = () => '</li>\n';
  md.renderer.rules.footnote_anchor = (tokens, idx) => ` <a href="#fnref${refId(tokens[idx]!)}" class="footnote-backref">\u21a9\uFE0E</a>`;
}
