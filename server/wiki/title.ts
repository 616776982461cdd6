/** Title rules of SPEC section 2: the one place titles are normalised, validated and split. */
import { InvalidTitleError } from './errors.js';

export const NAMESPACES = ['Talk', 'User', 'User talk', 'Category', 'Help', 'Peerwiki'] as const;
export type Namespace = (typeof NAMESPACES)[number] | '';

/** A normalised, valid title. Build one only with parseTitle / tryParseTitle. */
export interface Title {
  /** Full display form with namespace prefix: "Talk:Peer networks". */
  readonly text: string;
  /** URL form: spaces as underscores ("Talk:Peer_networks"). */
  readonly key: string;
  readonly namespace: Namespace;
  /** The part after the namespace prefix. */
  readonly name: string;
}

const MAX_BYTES = 255;
const FORBIDDEN = /[#<>[\]|{}]/;
// C0 and C1 controls and DEL.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// Invisible format characters (zero-width space, direction marks, soft hyphen, BOM...) would let two
// titles look the same. The zero-width (non-)joiners are kept inside words: Persian and Indic
// spelling and emoji sequences need them, as MediaWiki allows.
const FORMAT = /[^\P{Cf}\u200c\u200d]/u;
const LONE_JOINER = /(?:^|[\s/:])[\u200c\u200d]|[\u200c\u200d](?:[\s/:]|$)/u;
const NS_BY_LOWER = new Map<string, Namespace>(NAMESPACES.map((ns) => [ns.toLowerCase(), ns]));

/** Underscores to spaces, white space collapsed, trimmed, NFC. */
function tidy(raw: string): string {
  return raw.normalize('NFC').replace(/_/g, ' ').replace(/\s+/gu, ' ').trim();
}

function upperFirst(s: string): string {
  const first = s.codePointAt(0);
  if (first === undefined) return s;
  const ch = String.fromCodePoint(first);
  return ch.toUpperCase() + s.slice(ch.length);
}

function checkName(name: string, whole: string): void {
  if (name === '') throw new InvalidTitleError(whole === '' ? 'Title is empty.' : `Title "${whole}" has nothing after its namespace prefix.`);
  if (!name.isWellFormed()) throw new InvalidTitleError('Title is not valid Unicode.');
  const bad = FORBIDDEN.exec(name);
  if (bad) throw new InvalidTitleError(`Title may not contain "${bad[0]}" (none of # < > [ ] | { } are allowed).`);
  if (CONTROL.test(name)) throw new InvalidTitleError('Title may not contain control characters.');
  if (FORMAT.test(name) || LONE_JOINER.test(name)) {
    throw new InvalidTitleError('Title may not contain invisible formatting characters (such as zero-width spaces or direction marks).');
  }
  if (name.startsWith('/') || name.endsWith('/')) throw new InvalidTitleError('Title may not start or end with "/".');
  if (name.split('/').some((seg) => seg.trim() === '.' || seg.trim() === '..')) {
    throw new InvalidTitleError('Title may not have a "." or ".." segment.');
  }
}

/**
 * Normalise and validate a title from any source (URL, form, API, wiki link).
 * @throws InvalidTitleError with a message that says what to fix.
 */
export function parseTitle(raw: string): Title {
  if (typeof raw !== 'string') throw new InvalidTitleError('Title must be a string.');
  if (!raw.isWellFormed()) throw new InvalidTitleError('Title is not valid Unicode.');
  // White space (tabs and newlines included) is folded to spaces first; other controls are refused.
  const whole = tidy(raw);
  if (whole === '') throw new InvalidTitleError('Title is empty.');
  let namespace: Namespace = '';
  let name = whole;
  const colon = whole.indexOf(':');
  if (colon > 0) {
    const ns = NS_BY_LOWER.get(tidy(whole.slice(0, colon)).toLowerCase());
    if (ns !== undefined) {
      namespace = ns;
      name = tidy(whole.slice(colon + 1));
    }
  }
  checkName(name, whole);
  name = upperFirst(name);
  const text = namespace ? `${namespace}:${name}` : name;
  if (Buffer.byteLength(text, 'utf8') > MAX_BYTES) {
    throw new InvalidTitleError(`Title is longer than ${MAX_BYTES} bytes of UTF-8.`);
  }
  return { text, key: text.replace(/ /g, '_'), namespace, name };
}

/**
 * A title read back from the database, where only parseTitle's output is ever written: split,
 * not validated again (that cost a tenth of every page view).
 */
export function storedTitle(text: string): Title {
  const colon = text.indexOf(':');
  const prefix = colon > 0 ? text.slice(0, colon) : '';
  const namespace = (NAMESPACES as readonly string[]).includes(prefix) ? (prefix as Namespace) : '';
  return { text, key: text.replace(/ /g, '_'), namespace, name: namespace ? text.slice(colon + 1) : text };
}

/** As parseTitle, but undefined for an invalid title (for wiki links, which render invalid targets as text). */
export function tryParseTitle(raw: string): Title | undefined {
  try {
    return parseTitle(raw);
  } catch (e) {
    if (e instanceof InvalidTitleError) return undefined;
    throw e;
  }
}

/**
 * The account name a typed user name stands for (SPEC sections 2 and 5): the title rules without
 * namespaces, so `alice` is the account `Alice`, `bob_smith` is `Bob smith`, and people log in,
 * block and filter by a name as they type it. Every place a user name comes in goes through this.
 * A name the title rules cannot read (an IPv6 address, a name with a colon) comes back tidied
 * only: a lookup then finds nothing, and registering says what to fix.
 */
export function normalUserName(typed: string): string {
  if (typeof typed !== 'string' || !typed.isWellFormed()) return typed;
  const tidied = tidy(typed);
  return tidied.includes(':') ? tidied : (tryParseTitle(tidied)?.text ?? tidied);
}

/** The path of a title's page: /wiki/Peer_networks/History, each segment percent-encoded. */
export function wikiPath(title: Title | string): string {
  const key = typeof title === 'string' ? title.replace(/ /g, '_') : title.key;
  return '/wiki/' + key.split('/').map(encodeSegment).join('/');
}

// Keep ':' readable in URLs, as MediaWiki does; everything else that needs it is encoded.
function encodeSegment(seg: string): string {
  return encodeURIComponent(seg).replace(/%3A/gi, ':');
}

/**
 * The Talk page of a title ("Talk:Help:Editing" for "Help:Editing"), or the title itself when it
 * is one; undefined when the prefix would push it past the length limit.
 */
export function talkTitleOf(title: Title): Title | undefined {
  if (title.namespace === 'Talk' || title.namespace === 'User talk') return title;
  if (title.namespace === 'User') return tryParseTitle(`User talk:${title.name}`);
  return tryParseTitle(`Talk:${title.text}`);
}

/** The subject page of a talk page, or the title itself. */
export function subjectTitleOf(title: Title): Title {
  if (title.namespace === 'User talk') return parseTitle(`User:${title.name}`);
  if (title.namespace === 'Talk') return parseTitle(title.name);
  return title;
}
