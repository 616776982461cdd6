import { describe, expect, it } from 'vitest';
import { deflateRawSync } from 'node:zlib';
import { makeTestApp, createUser } from '../helpers/app.js';
import { prng } from '../helpers/random.js';
import { ContentStore } from '../../server/db/content.js';
import { DICTIONARY_BYTES, MIN_SAMPLES, SAMPLE_CHARS, trainDictionary } from '../../server/db/dictionary.js';
import { saveEdit } from '../../server/wiki/edit.js';
import { parseTitle } from '../../server/wiki/title.js';

type Wiki = ReturnType<typeof makeTestApp>['wiki'];

// Articles from one vocabulary, as a wiki's pages share their language: each different, none short.
const random = prng(7);
const WORDS = Array.from({ length: 400 }, (_, i) => `w${(i * 7919).toString(36)}${'aeiou'[i % 5]}`);
const COMMON = 'the peer network of the wiki is shared by people who edit it and'.split(' ');
function article(n: number): string {
  const lines: string[] = [`## Section ${n}`];
  for (let l = 0; l < 30; l++) {
    const words = Array.from({ length: 12 }, () => (random() < 0.5 ? COMMON[Math.floor(random() * COMMON.length)] : WORDS[Math.floor(random() * WORDS.length)]));
    lines.push(`${words.join(' ')}.`);
  }
  return lines.join('\n');
}

function savePages(wiki: Wiki, from: number, n: number): Array<{ contentId: number; text: string }> {
  const actor = createUser(wiki);
  const out: Array<{ contentId: number; text: string }> = [];
  for (let i = from; i < from + n; i++) {
    const text = article(i);
    const r = saveEdit(wiki.stores, { title: parseTitle(`Article ${i}`), source: text, baseId: null, actor });
    out.push({ contentId: r.revision.contentId, text });
  }
  return out;
}

const rowOf = (wiki: Wiki, id: number) =>
  wiki.db.prepare('SELECT encoding, dictionary_id AS dictionaryId, length(data) AS bytes, size FROM content WHERE id = ?').get(id) as {
    encoding: string;
    dictionaryId: number | null;
    bytes: number;
    size: number;
  };
const dictionaries = (wiki: Wiki) =>
  wiki.db.prepare('SELECT id, length(data) AS bytes, trained_at AS trainedAt FROM content_dictionary ORDER BY id').all() as Array<{ id: number; bytes: number; trainedAt: number }>;

describe('deflate dictionaries trained on the wiki', () => {
  it('holds only words and phrases several texts share, never a passage of one text', () => {
    const texts = Array.from({ length: 20 }, (_, i) => article(1000 + i));
    texts[3] += '\nThe secret ingredient of grandmother lives in Tallinn.';
    const dictionary = trainDictionary(texts)!.toString('utf8');
    expect(dictionary.length).toBeGreaterThan(1024);
    expect(Buffer.byteLength(dictionary)).toBeLessThanOrEqual(DICTIONARY_BYTES);
    expect(dictionary).toContain('the ');
    expect(dictionary).not.toContain('grandmother');
    expect(dictionary).not.toContain('Tallinn');
    // Too few texts say too little about the wiki.
    expect(trainDictionary(texts.slice(0, MIN_SAMPLES - 1))).toBeUndefined();
  });

  it('reads only the first SAMPLE_CHARS of each text, so training is bounded however long the pages', () => {
    const texts = Array.from({ length: 20 }, (_, i) => article(2000 + i));
    // A phrase shared by every text, but only after SAMPLE_CHARS: never seen.
    const padded = texts.map((t) => `${t}\n${'x '.repeat(SAMPLE_CHARS)}zzlatephrase tail`);
    expect(trainDictionary(padded)!.toString('utf8')).not.toContain('zzlatephrase');
    expect(trainDictionary(texts.map((t) => `${t}\nzzlatephrase tail`))!.toString('utf8')).toContain('zzlatephrase');
  });

  it('trains one from the latest texts once the wiki has enough, and deflates with it: smaller, read back the same', () => {
    const { wiki } = makeTestApp();
    const content = wiki.stores.content;
    const saved = savePages(wiki, 0, 40);
    wiki.stores.transaction(() => content.compressQueued(1000));
    const [dictionary] = dictionaries(wiki);
    expect(dictionary).toBeDefined();
    expect(dictionary!.bytes).toBeGreaterThan(1024);
    let withDictionary = 0;
    let without = 0;
    for (const s of saved) {
      const row = rowOf(wiki, s.contentId);
      expect(row.encoding).toBe('deflate');
      expect(row.dictionaryId).toBe(dictionary!.id);
      withDictionary += row.bytes;
      without += deflateRawSync(Buffer.from(s.text)).length;
    }
    // A quarter smaller at least, on texts that share their words as a wiki's do.
    expect(withDictionary).toBeLessThan(without * 0.75);
    // Another process's store, which never trained it, reads every text; and check passes.
    const other = new ContentStore(wiki.db);
    for (const s of saved) expect(other.get(s.contentId)).toBe(s.text);
    expect(other.verify(0, 10_000).bad).toEqual([]);
  });

  it('samples one text a page: a passage every version of one page holds stays out', () => {
    const { wiki } = makeTestApp();
    const actor = createUser(wiki);
    // One page saved many times, each version holding the same private sentence; then enough other pages to train on.
    let base: number | null = null;
    for (let i = 0; i < 30; i++) {
      base = saveEdit(wiki.stores, { title: parseTitle('Family recipes'), source: `${article(500 + i)}\nThe secret ingredient of grandmother lives in Tallinn.`, baseId: base, actor }).revision.id;
    }
    savePages(wiki, 0, 20);
    wiki.stores.transaction(() => wiki.stores.content.compressQueued(1000));
    const stored = wiki.db.prepare('SELECT data FROM content_dictionary').pluck().all() as Buffer[];
    expect(stored).toHaveLength(1);
    const text = stored[0]!.toString('utf8');
    expect(text).toContain('the ');
    expect(text).not.toContain('grandmother');
    expect(text).not.toContain('Tallinn');
  });

  it('trains a new one as the wiki grows; texts deflated with the old one keep it and still read', () => {
    const { wiki } = makeTestApp();
    const content = wiki.stores.content;
    const early = savePages(wiki, 0, 40);
    wiki.stores.transaction(() => content.compressQueued(1000));
    const first = dictionaries(wiki);
    expect(first).toHaveLength(1);
    // Grown, but not eightfold: the same dictionary.
    const next = savePages(wiki, 40, 10);
    wiki.stores.transaction(() => content.compressQueued(1000));
    expect(dictionaries(wiki)).toHaveLength(1);
    expect(rowOf(wiki, next[0]!.contentId).dictionaryId).toBe(first[0]!.id);
    // Eightfold: a new one, used from then on.
    const last = (wiki.db.prepare('SELECT max(id) FROM content').pluck().get() as number) ?? 0;
    const later = savePages(wiki, 50, Math.max(0, first[0]!.trainedAt * 8 - last) + 5);
    wiki.stores.transaction(() => content.compressQueued(100_000));
    const both = dictionaries(wiki);
    expect(both).toHaveLength(2);
    expect(rowOf(wiki, later.at(-1)!.contentId).dictionaryId).toBe(both[1]!.id);
    expect(rowOf(wiki, early[0]!.contentId).dictionaryId).toBe(first[0]!.id);
    const other = new ContentStore(wiki.db);
    for (const s of [...early, ...next, ...later]) expect(other.get(s.contentId)).toBe(s.text);
  });

  it('deflates without one while the wiki is too small to train on', () => {
    const { wiki } = makeTestApp();
    wiki.db.exec('DELETE FROM content_fresh');
    const saved = savePages(wiki, 0, 3);
    const pages = wiki.db.prepare('SELECT count(*) FROM page').pluck().get() as number;
    wiki.stores.transaction(() => wiki.stores.content.compressQueued(1000));
    expect(pages).toBeLessThan(MIN_SAMPLES);
    expect(dictionaries(wiki)).toEqual([]);
    for (const s of saved) expect(rowOf(wiki, s.contentId)).toMatchObject({ encoding: 'deflate', dictionaryId: null });
    for (const s of saved) expect(new ContentStore(wiki.db).get(s.contentId)).toBe(s.text);
  });

  it('compresses again, with the dictionary, texts deflated before there was one (what migration 0020 queues)', () => {
    const { wiki } = makeTestApp();
    const content = wiki.stores.content;
    const saved = savePages(wiki, 0, 40);
    // As an older wiki stored them: deflated alone.
    for (const s of saved) wiki.db.prepare("UPDATE content SET encoding = 'deflate', data = ? WHERE id = ?").run(deflateRawSync(Buffer.from(s.text)), s.contentId);
    wiki.db.exec('DELETE FROM content_fresh');
    const before = saved.reduce((sum, s) => sum + rowOf(wiki, s.contentId).bytes, 0);
    wiki.db.exec("INSERT OR IGNORE INTO content_fresh (content_id) SELECT id FROM content WHERE base_id IS NULL AND encoding = 'deflate' AND size >= 256");
    wiki.stores.transaction(() => content.compressQueued(1000));
    const after = saved.reduce((sum, s) => sum + rowOf(wiki, s.contentId).bytes, 0);
    expect(after).toBeLessThan(before * 0.8);
    for (const s of saved) expect(new ContentStore(wiki.db).get(s.contentId)).toBe(s.text);
    expect(content.freshCount()).toBe(0);
  });

  it('check names a text whose dictionary is gone', () => {
    const { wiki } = makeTestApp();
    const saved = savePages(wiki, 0, 40);
    wiki.stores.transaction(() => wiki.stores.content.compressQueued(1000));
    wiki.db.pragma('foreign_keys = OFF');
    wiki.db.exec('DELETE FROM content_dictionary');
    const bad = new ContentStore(wiki.db).verify(0, 10_000).bad;
    expect(bad.map((b) => b.id)).toEqual(expect.arrayContaining(saved.map((s) => s.contentId)));
    expect(bad[0]!.problem).toMatch(/dictionary \d+ is missing/);
  });
});
