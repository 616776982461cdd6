/**
 * File names of exported pages: derived from titles so that no title can escape the export folder
 * or collide with another, on any common file system, and reversible for all ordinary titles.
 *
 * A title's spaces become "_" (titles never contain "_", it normalises to a space); characters that
 * are special in paths or on Windows, "%" and "~" are percent-encoded as UTF-8 bytes; a leading "."
 * and Windows device names (CON, NUL, COM1...) have their first character encoded. So "Talk:Peer
 * networks/History" is "Talk%3APeer_networks%2FHistory.md". A name that would be too long, or that
 * differs only in letter case from one already used (macOS and Windows fold case), ends instead in
 * "~" and a hash of the title: "~" never appears otherwise, and history.json maps every page to its file.
 */
import { createHash } from 'node:crypto';

export const EXTENSION = '.md';
/** Bytes, extension included; file systems allow 255, and the margin leaves room for tools' suffixes. */
const MAX_NAME_BYTES = 200;
const HASH_CHARS = 12;
// Path separators, Windows' reserved characters, controls, and our own "%" and "~".
const UNSAFE = /[%~/\\:*?"<>|#\u0000-\u001f\u007f-\u009f]/u;
const DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\.|$)/i;

function encodeChar(ch: string): string {
  return [...Buffer.from(ch, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
}

/** The plain (reversible) file name of a title, before length and case checks. */
export function fileNameOf(title: string): string {
  let stem = '';
  for (const ch of title) stem += ch === ' ' ? '_' : UNSAFE.test(ch) ? encodeChar(ch) : ch;
  if (stem.startsWith('.') || DEVICE.test(stem)) {
    const first = String.fromCodePoint(stem.codePointAt(0)!);
    stem = encodeChar(first) + stem.slice(first.length);
  }
  return stem + EXTENSION;
}

/** The title a plain file name stands for; undefined for a hashed name (see history.json) or a foreign file. */
export function titleOfFileName(name: string): string | undefined {
  if (!name.endsWith(EXTENSION) || name.includes('~')) return undefined;
  try {
    return decodeURIComponent(name.slice(0, -EXTENSION.length).replace(/_/g, ' '));
  } catch {
    return undefined;
  }
}

/** Hands out file names for one export: plain where possible, hashed where too long or colliding. */
export class FileNamer {
  private readonly used = new Set<string>();

  /** The file name for `title`; different for every title given to this namer. */
  name(title: string): string {
    const plain = fileNameOf(title);
    let name = plain;
    if (Buffer.byteLength(plain, 'utf8') > MAX_NAME_BYTES || this.used.has(foldKey(plain))) name = hashedName(plain, title);
    // Two titles whose hashed names fold together would need a SHA-1 prefix collision; count on, to be sure.
    for (let n = 2; this.used.has(foldKey(name)); n++) name = hashedName(plain, `${title}\u0000${n}`);
    this.used.add(foldKey(name));
    return name;
  }
}

/** The comparison key of a name on a case-folding, Unicode-normalising file system. */
function foldKey(name: string): string {
  return name.normalize('NFD').toLowerCase().normalize('NFC');
}

function hashedName(plain: string, title: string): string {
  const hash = createHash('sha1').update(title, 'utf8').digest('hex').slice(0, HASH_CHARS);
  const room = MAX_NAME_BYTES - Buffer.byteLength(`~${hash}${EXTENSION}`, 'utf8');
  let stem = '';
  // Cut by whole characters and never inside a %XX escape.
  for (const part of plain.slice(0, -EXTENSION.length).match(/%[0-9A-F]{2}|[^]/gu) ?? []) {
    if (Buffer.byteLength(stem + part, 'utf8') > room) break;
    stem += part;
  }
  return `${stem}~${hash}${EXTENSION}`;
}
