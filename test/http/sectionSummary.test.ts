/** Section edits say which section they changed: `/* Section *\/` summaries, linked in history. */
import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { browser, createPage, makeTestApp } from '../helpers/app.js';
import { sectionSummary } from '../../server/wiki/sections.js';
import { commentHtml } from '../../views/partials/comment.js';

describe('sectionSummary', () => {
  it.each([
    ['## Early *history*\n\ntext', '/* Early history */'],
    ['Setext heading\n---\n\ntext', '/* Setext heading */'],
    ['No heading here', undefined],
    ['# A */ trick\n', '/* A * / trick */'],
  ])('%j → %j', (section, want) => {
    expect(sectionSummary(section)).toBe(want);
  });
});

describe('commentHtml', () => {
  it('links the section a summary names, escaping everything', () => {
    expect(commentHtml('/wiki/P', '/* Early history */ fixed <b>typo</b>').value).toBe('<a class="autocomment" href="/wiki/P#early-history">→Early history</a>: fixed &lt;b&gt;typo&lt;/b&gt;');
    expect(commentHtml('/wiki/P', 'plain /* */ words').value).toBe('plain /* */ words');
    expect(commentHtml(undefined, '/* H */').value).toBe('/* H */');
  });
});

describe('a section edit', () => {
  it('starts its summary with the section name, and a blank summary gets it too; history links it', async () => {
    const { app, wiki } = makeTestApp();
    const [base] = createPage(wiki, { title: 'Gossip', source: 'Intro\n\n## Early history\n\nfirst\n\n## Later\n\nsecond' });
    const { agent, csrf } = await browser(app, '/wiki/Gossip?action=edit&section=1');
    const form = await agent.get('/wiki/Gossip?action=edit&section=1');
    expect(form.text).toContain('value="/* Early history */ "');
    // Saved with the summary emptied: the section's name is the summary.
    const res = await agent.post('/wiki/Gossip?action=submit').type('form').send({ csrf, source: '## Early history\n\nfirst, improved', section: '1', base: String(base), summary: '' });
    expect(res.status).toBe(303);
    const latest = wiki.stores.pages.byTitle((await import('../../server/wiki/title.js')).parseTitle('Gossip'))!.latestId;
    expect(wiki.stores.revisions.byId(latest)!.comment).toBe('/* Early history */');
    const history = await request(app).get('/wiki/Gossip?action=history');
    expect(history.text).toContain('<a class="autocomment" href="/wiki/Gossip#early-history">→Early history</a>');
  });
});
