import { describe, expect, it } from 'vitest';
import { saveFacts } from '../../server/wiki/saveFacts.js';

const long = 'A long enough paragraph of ordinary prose about the subject of this page. '.repeat(4);
const links3 = 'See https://a.example/x, https://b.example/y and https://c.example/z.';

describe('saveFacts: tags and signals follow from the old and new texts', () => {
  it.each([
    { name: 'a new page', oldText: null, text: 'Hello.', tags: ['new'] },
    { name: 'an ordinary edit', oldText: long, text: `${long} More.`, tags: [] },
    { name: 'blanking', oldText: long, text: 'gone', tags: ['blanking', 'large-removal'] },
    { name: 'removing over half of a long text', oldText: long + long + long, text: long, tags: ['large-removal'] },
    { name: 'adding 3 external links', oldText: long, text: `${long}\n\n${links3}`, tags: ['external-links'] },
    { name: 'keeping 3 external links already there', oldText: `${long}\n\n${links3}`, text: `${long}\n\n${links3} Edited.`, tags: [] },
  ])('$name', ({ oldText, text, tags }) => {
    expect(saveFacts({ oldText, text }).tags).toEqual(tags);
  });

  it.each([
    { name: 'nothing suspicious', oldText: long, text: `${long}\n\nA calm addition.`, signals: { referencesRemoved: 0, repeated: false, shouting: false } },
    { name: 'references removed', oldText: 'Fact.[^1] Other.[^2]\n\n[^1]: A.\n[^2]: B.', text: 'Fact. Other.', signals: { referencesRemoved: 2, repeated: false, shouting: false } },
    { name: 'a repeated character added', oldText: long, text: `${long}\n\nhahahaaaaaaaaaaaaaaa`, signals: { referencesRemoved: 0, repeated: true, shouting: false } },
    { name: 'shouting added', oldText: long, text: `${long}\n\nTHIS PAGE IS COMPLETELY WRONG AND YOU ALL KNOW IT`, signals: { referencesRemoved: 0, repeated: false, shouting: true } },
  ])('signals: $name', ({ oldText, text, signals }) => {
    expect(saveFacts({ oldText, text }).signals).toEqual(signals);
  });
});

describe('saveFacts: analysis', () => {
  it('analyses the new text, not the old one', () => {
    const facts = saveFacts({ oldText: 'Old [[Gone link]] [[Category:Old]]', text: '#REDIRECT [[Target page]]\n\n[[Category:Moved]] Some *words*.' });
    expect(facts.analysis.links).toContain('Target page');
    expect(facts.analysis.links).not.toContain('Gone link');
    expect(facts.analysis.categories).toEqual(['Moved']);
    expect(facts.analysis.redirect?.title.text).toBe('Target page');
    expect(facts.analysis.text).toContain('words');
    expect(facts.analysis.text).not.toContain('*');
  });
});

describe('saveFacts: the link change, only when asked', () => {
  it('leaves the link change out unless asked for it', () => {
    expect(saveFacts({ oldText: '[[A]]', text: '[[B]]' }).links).toBeUndefined();
    expect(saveFacts({ oldText: '[[A]]', text: '[[B]]', linkChange: false }).links).toBeUndefined();
  });

  it.each([
    { name: 'a new page: all added, from nothing', oldText: null, text: '[[A]] [[B]] [[Category:C]]',
      change: { addLinks: ['A', 'B'], removeLinks: [], addCategories: ['C'], removeCategories: [] }, from: { links: 0, categories: 0 } },
    { name: 'links swapped, categories kept', oldText: '[[A]] [[B]] [[Category:C]]', text: '[[B]] [[D]] [[Category:C]]',
      change: { addLinks: ['D'], removeLinks: ['A'], addCategories: [], removeCategories: [] }, from: { links: 2, categories: 1 } },
    { name: 'repeated targets count once', oldText: '[[A]] [[A]] [[A]] [[Category:C]] [[Category:C]]', text: '[[A]]',
      change: { addLinks: [], removeLinks: [], addCategories: [], removeCategories: ['C'] }, from: { links: 1, categories: 1 } },
    { name: 'no links either side', oldText: 'plain', text: 'still plain',
      change: { addLinks: [], removeLinks: [], addCategories: [], removeCategories: [] }, from: { links: 0, categories: 0 } },
    { name: 'everything removed', oldText: '[[A]] [[Category:C]] [[Category:D]]', text: 'nothing',
      change: { addLinks: [], removeLinks: ['A'], addCategories: [], removeCategories: ['C', 'D'] }, from: { links: 1, categories: 2 } },
  ])('$name', ({ oldText, text, change, from }) => {
    expect(saveFacts({ oldText, text, linkChange: true }).links).toEqual({ change, from });
  });
});
