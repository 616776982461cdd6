/**
 * The hostile inputs: the text an attacker would paste to make one request cost everyone (SPEC
 * section 8, `hostile_worst_ms`). Each family grows by repeating a unit, so the same generator
 * serves the benchmark (at 1 MiB) and the unit tests that check growth (at n and 2n).
 */

/** What a family's text is aimed at, so the benchmark sends it where it hurts. */
export type Target = 'render' | 'save' | 'history';

export interface HostileFamily {
  name: string;
  /** A text of exactly `bytes` bytes (every unit is ASCII, so bytes and length agree). */
  make: (bytes: number) => string;
  /** render: Markdown rules; save: analysis in the save path; history: diff, merge, undo and blame. */
  targets: readonly Target[];
}

/** `unit(i)` repeated (i counting up) until `bytes` long, cut to exactly `bytes`. */
export function repeat(bytes: number, unit: (i: number) => string): string {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const u = unit(i);
    parts.push(u);
    size += u.length;
  }
  return parts.join('').slice(0, bytes);
}

/** `text` repeated to exactly `bytes`. */
export const same = (text: string) => (bytes: number) => repeat(bytes, () => text);
const all: readonly Target[] = ['render', 'save', 'history'];
const renderAndSave: readonly Target[] = ['render', 'save'];

/** Lines that are the names of Object.prototype's members, as code about JavaScript contains. */
const JS_KEYS = ['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString'];

export const HOSTILE_FAMILIES: readonly HostileFamily[] = [
  { name: 'same heading', make: same('# h\n'), targets: renderAndSave },
  { name: 'distinct headings', make: (b) => repeat(b, (i) => `## Heading ${i}\n`), targets: renderAndSave },
  { name: 'open footnote refs', make: same('[^'), targets: all },
  { name: 'footnotes', make: (b) => repeat(b, (i) => `Text[^n${i}].\n\n[^n${i}]: Note ${i}.\n\n`), targets: renderAndSave },
  { name: 'link definitions', make: (b) => repeat(b, (i) => `[r${i}]: https://example.org/${i}\n`), targets: renderAndSave },
  { name: 'reference links', make: (b) => repeat(b, (i) => `[a][r${i % 50}] `) + '\n\n[r1]: /x\n', targets: renderAndSave },
  { name: 'distinct wiki links', make: (b) => repeat(b, (i) => `[[Hostile page ${i}]] `), targets: renderAndSave },
  { name: 'open wiki links', make: same('[['), targets: renderAndSave },
  { name: 'close wiki links', make: same(']]'), targets: renderAndSave },
  { name: 'categories', make: (b) => repeat(b, (i) => `[[Category:Hostile ${i}]]\n`), targets: renderAndSave },
  { name: 'open brackets', make: same('['), targets: renderAndSave },
  { name: 'open images', make: same('!['), targets: renderAndSave },
  { name: 'emphasis runs', make: same('*_'), targets: renderAndSave },
  { name: 'unclosed emphasis', make: same('*a **b '), targets: renderAndSave },
  { name: 'strikethrough runs', make: same('~~a '), targets: renderAndSave },
  { name: 'backtick runs', make: (b) => repeat(b, (i) => '`'.repeat((i % 40) + 1) + ' '), targets: renderAndSave },
  { name: 'nested quotes', make: (b) => repeat(b, () => '>'.repeat(200) + ' q\n'), targets: renderAndSave },
  { name: 'nested lists', make: (b) => repeat(b, (i) => `${'  '.repeat(i % 120)}- item\n`), targets: renderAndSave },
  { name: 'wide table', make: (b) => `${'|h'.repeat(2000)}|\n${'|-'.repeat(2000)}|\n` + repeat(b - 8004, () => '|c'.repeat(2000) + '|\n'), targets: renderAndSave },
  { name: 'long line', make: (b) => repeat(b, (i) => `word${i % 97} `), targets: all },
  { name: 'escaped URLs', make: (b) => repeat(b, () => '<https://example.org/%25%26amp%3B&amp;&#x25;>\n'), targets: renderAndSave },
  { name: 'autolink runs', make: same('http://a.b/ www.x.y '), targets: renderAndSave },
  { name: 'repeated characters', make: same('!'), targets: all },
  { name: 'shouting', make: same('SPAM SPAM SPAM '), targets: ['save'] },
  { name: 'control characters', make: same('a\u0001b\u0002 '), targets: renderAndSave },
  { name: 'equal lines', make: same('the same line\n'), targets: all },
  { name: 'object key lines', make: (b) => repeat(b, (i) => `${JS_KEYS[i % JS_KEYS.length]}\n`), targets: all },
];
