/**
 * Bulk loader for the benchmark wiki. It writes through the same stores as saveEdit and the CLI's
 * importer (ContentStore, RevisionStore, PageStore, LinkStore, SearchStore) in large transactions,
 * and like the importer derives links, categories and the search index once per page from its final
 * text (and writes no review rows): saveEdit re-parses and re-indexes every revision, which would
 * take most of an hour for a million revisions. Each revision's line authorship is stored as a save
 * stores it (blameSave.ts), so first views of long histories measure what a real wiki's cost.
 */
import { closeDatabase, openDatabase } from '../../server/db/connection.js';
import { migrate } from '../../server/db/migrate.js';
import { createStores, type Stores } from '../../server/db/stores.js';
import { analyzeForIndex } from '../../server/wiki/markdown.js';
import { finishDeferredAuthors, noteAuthors, prepareAuthors } from '../../server/wiki/blameSave.js';
import { hashPassword } from '../../server/auth/passwords.js';
import type { Title } from '../../server/wiki/title.js';
import type { Actor } from '../../server/wiki/types.js';
import { articleText, editText, redirectText, vandalised, type Corpus } from './corpus.js';
import { Random } from './random.js';
import { EDIT_COMMENTS, vocabulary } from './words.js';
import { makeTitles } from './titles.js';

export interface GenerateOptions {
  file: string;
  pages: number;
  revisions: number;
  seed: number;
  log: (message: string) => void;
}

export interface GeneratedWiki {
  /** Every page, redirects included. */
  titles: Title[];
  /** Pages that are articles (not redirects): the ones the benchmark edits. */
  articles: Title[];
  /** A sample of [parent, child] revision ids of one page. */
  adjacent: Array<[number, number]>;
  user: { name: string; password: string };
  words: readonly string[];
  revisions: number;
}

interface PageState {
  id: number;
  title: Title;
  text: string;
  latest: number;
}

const BATCH = 4_000;
const REDIRECT_SHARE = 0.03;
const VANDALISM_SHARE = 0.02;
const TEMP_SHARE = 0.15;
const SAMPLE = 2_000;
const YEARS = 2;

/**
 * Generate the wiki into `file` (created and migrated), then close it. Yields to the event loop
 * between transactions, so Ctrl-C stops it promptly.
 */
export async function generateWiki(o: GenerateOptions): Promise<GeneratedWiki> {
  const db = openDatabase(o.file);
  // The loader's own connection: a page cache big enough for the indexes it keeps inserting into.
  db.pragma('cache_size = -262144');
  try {
    migrate(db);
    const stores = createStores(db);
    const loader = new Loader(stores, o);
    await loader.run();
    const user = { name: 'Bench editor', password: 'bench password, not secret' };
    stores.actors.create(user.name, 'user', 'user', hashPassword(user.password));
    // Texts stored whole and then as deltas leave their pages part empty: written again compactly,
    // the file is the size a wiki that packed as it went would have.
    o.log('generate: compacting the database (VACUUM)');
    db.exec('VACUUM');
    return { ...loader.result(), user };
  } finally {
    closeDatabase(db);
  }
}

class Loader {
  private readonly rng: Random;
  private readonly corpus: Corpus;
  private readonly titles: Title[];
  private readonly pages: PageState[] = [];
  private readonly editable: PageState[] = [];
  private readonly adjacent: Array<[number, number]> = [];
  private users: Actor[] = [];
  private temps: Actor[] = [];
  private written = 0;
  private pairsSeen = 0;
  private readonly start = Date.now() - YEARS * 365 * 86_400_000;

  constructor(
    private readonly stores: Stores,
    private readonly o: GenerateOptions,
  ) {
    this.rng = new Random(o.seed);
    const words = vocabulary(this.rng);
    const { pages, red } = makeTitles(this.rng, words, o.pages);
    this.titles = pages;
    this.corpus = { rng: this.rng, words, titles: pages.map((t) => t.text), red: red.map((t) => t.text) };
  }

  async run(): Promise<void> {
    const t0 = Date.now();
    this.stores.transaction(() => this.makeActors());
    const progress = new Progress(this.o.log, 'revisions written');
    while (this.written < this.o.revisions) {
      this.stores.transaction(() => {
        const end = Math.min(this.o.revisions, this.written + BATCH);
        while (this.written < end) this.step(end - this.written);
        // As a running wiki does in the background: each replaced text becomes a delta (content.ts).
        this.stores.content.packQueued(Number.MAX_SAFE_INTEGER);
        this.stores.content.compressQueued(Number.MAX_SAFE_INTEGER);
      });
      await new Promise((resolve) => setImmediate(resolve));
      progress.tick(this.written, this.o.revisions);
    }
    this.o.log(`generate: ${count(this.written)} revisions of ${count(this.pages.length)} pages in ${seconds(t0)}; indexing latest texts`);
    await this.indexLatest();
    this.o.log(`generate: done in ${seconds(t0)}`);
  }

  result(): Omit<GeneratedWiki, 'user'> {
    return {
      titles: this.pages.map((p) => p.title),
      articles: this.editable.map((p) => p.title),
      adjacent: this.adjacent,
      words: this.corpus.words,
      revisions: this.written,
    };
  }

  private makeActors(): void {
    const users = clamp(Math.ceil(this.o.revisions / 100), 10, 5_000);
    const temps = clamp(Math.ceil(this.o.revisions / 300), 5, 3_000);
    for (let i = 1; i <= users; i++) this.users.push(this.stores.actors.create(`Editor ${i}`, 'user'));
    const when = new Date(this.start);
    for (let i = 0; i < temps; i++) this.temps.push(this.stores.actors.createTemporary(when));
  }

  /** One step of the timeline: create the next page, edit one, or a vandal edit and its revert. */
  private step(left: number): void {
    const toCreate = this.titles.length - this.pages.length;
    if (this.editable.length === 0 || (toCreate > 0 && this.rng.next() < toCreate / (this.o.revisions - this.written))) {
      this.create(this.titles[this.pages.length]!);
      return;
    }
    const page = this.rng.chance(0.5) ? this.editable[this.rng.skewed(this.editable.length)]! : this.rng.pick(this.editable);
    if (left >= 2 && toCreate < this.o.revisions - this.written - 1 && this.rng.chance(VANDALISM_SHARE)) {
      const before = page.text;
      const vandal = this.rng.pick(this.temps);
      const bad = this.write(page, vandalised(this.corpus, before), vandal, '', []);
      this.stores.revisions.addTags(bad, ['reverted']);
      this.write(page, before, this.author(), `Reverted edits by ${vandal.name}`, ['revert']);
      return;
    }
    const parent = page.latest;
    const child = this.write(page, editText(this.corpus, page.text), this.author(), this.rng.pick(EDIT_COMMENTS), []);
    this.sample(parent, child);
  }

  private create(title: Title): void {
    const id = this.stores.pages.create(title, this.timestamp());
    const page: PageState = { id, title, text: '', latest: 0 };
    const redirect = title.namespace === '' && this.editable.length > 0 && this.rng.chance(REDIRECT_SHARE);
    const text = redirect ? redirectText(this.rng.pick(this.editable).title.text) : articleText(this.corpus, title.name);
    this.write(page, text, this.author(), redirect ? 'redirect' : 'new article', ['new']);
    this.pages.push(page);
    if (!redirect) this.editable.push(page);
  }

  private write(page: PageState, text: string, actor: Actor, comment: string, tags: string[]): number {
    const content = this.stores.content.put(text);
    const parent = page.latest ? { id: page.latest, text: page.text } : undefined;
    const id = this.stores.revisions.insert({
      pageId: page.id,
      parentId: parent?.id ?? null,
      actorId: actor.id,
      contentId: content.id,
      comment,
      minor: comment === 'fix typo' || comment === 'copyedit',
      size: content.size,
      sha1: content.sha1,
      timestamp: this.timestamp(),
      ip: actor.kind === 'temp' ? `203.0.113.${(actor.id % 250) + 1}` : null,
    });
    if (tags.length > 0) this.stores.revisions.addTags(id, tags);
    // The loader runs alone: no text is too big to derive inline (a save would defer it past its commit).
    const authors = prepareAuthors(this.stores, parent, text, Infinity);
    finishDeferredAuthors(this.stores, noteAuthors(this.stores, { revisionId: id, pageId: page.id, parentId: parent?.id ?? null, contentId: content.id, textIsNew: content.stored, text }, authors));
    this.stores.actors.countEditOf(actor.id);
    page.text = text;
    page.latest = id;
    this.written++;
    return id;
  }

  private author(): Actor {
    return this.rng.chance(TEMP_SHARE) ? this.rng.pick(this.temps) : this.users[this.rng.zipf(this.users.length)]!;
  }

  private timestamp(): string {
    const span = Date.now() - this.start - 3_600_000;
    return new Date(this.start + (span * this.written) / this.o.revisions).toISOString();
  }

  /** Reservoir sample of adjacent revision pairs, for the diff measurements. */
  private sample(parent: number, child: number): void {
    this.pairsSeen++;
    if (this.adjacent.length < SAMPLE) this.adjacent.push([parent, child]);
    else if (this.rng.next() < SAMPLE / this.pairsSeen) this.adjacent[this.rng.int(0, SAMPLE - 1)] = [parent, child];
  }

  /** Latest pointer, links, categories and search index of every page, from its final text. */
  private async indexLatest(): Promise<void> {
    const progress = new Progress(this.o.log, 'pages indexed');
    for (let from = 0; from < this.pages.length; from += 1_000) {
      progress.tick(from, this.pages.length);
      this.stores.transaction(() => {
        for (const page of this.pages.slice(from, from + 1_000)) {
          const a = analyzeForIndex(page.text);
          this.stores.pages.setLatest(page.id, page.latest, a.redirect !== undefined);
          this.stores.links.replace(page.id, a.links, a.categories);
          this.stores.search.put(page.id, page.title.text, a.text);
        }
      });
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

function clamp(n: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, n));
}

function count(n: number): string {
  return n.toLocaleString('en');
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

/** A progress line every few seconds on long work. */
class Progress {
  private readonly t0 = Date.now();
  private last = Date.now();

  constructor(
    private readonly log: (message: string) => void,
    private readonly what: string,
  ) {}

  tick(done: number, total: number): void {
    if (Date.now() - this.last < 5_000) return;
    this.last = Date.now();
    const rate = Math.round((done * 1000) / Math.max(1, Date.now() - this.t0));
    this.log(`generate: ${count(done)} / ${count(total)} ${this.what} (${count(rate)}/s)`);
  }
}
