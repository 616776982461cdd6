/** The edit form, with live preview, and the edit-conflict screen that keeps everyone's words. */
import { blockedNotice } from '../partials/blocked.js';
import { attr, html, trustedHtml, type Html, type Piece } from '../html.js';
import { layout } from '../layout.js';
import type { ViewContext } from '../context.js';
import { talkTitleOf, wikiPath, type Title } from '../../server/wiki/title.js';
import { diffTable } from './diff.js';
import type { Comparison } from '../../server/wiki/diff.js';
import type { MergeRegion } from '../../server/wiki/merge.js';

export interface EditFormModel {
  title: Title;
  exists: boolean;
  source: string;
  summary: string;
  minor: boolean;
  /** The revision the text was taken from; undefined for a new page. */
  baseId?: number;
  section?: number;
  /** Rendered preview (sanitised by the renderer), shown above the form. */
  previewHtml?: Piece;
  /** What is wrong with the last submission, in words that say what to fix. */
  error?: string;
  /** Something to know before saving (the page changed since the form was opened), not an error. */
  notice?: string;
  /** "Watch this page", for accounts that keep a watchlist: whether it is ticked. */
  watch?: boolean;
  /** "Show changes": the text being edited against its base. */
  changes?: Comparison;
  /** "Add topic" (?action=edit&section=new): the new section's heading; the text box holds its text only. */
  newTopic?: { subject: string };
  /** Set when the last save conflicted with someone else's. */
  conflict?: {
    currentId: number;
    currentSource: string;
    comparison: Comparison;
    /** The revision both edits started from (null: both created the page). */
    baseId: number | null;
    /** The three-way merge of base, the editor's text and the current text. */
    regions: MergeRegion[];
  };
}

export function editPage(ctx: ViewContext, m: EditFormModel): Html {
  const heading = m.conflict ? 'Edit conflict: ' : m.newTopic ? 'Adding a new topic to ' : m.exists ? 'Editing ' : 'Creating ';
  const what = m.section !== undefined ? `${m.title.text} (section ${m.section})` : m.title.text;
  return layout(ctx, {
    title: heading + what,
    page: m.title,
    tab: 'edit',
    exists: m.exists,
    noindex: true,
    body: html`<h1 class="page-title">${heading}${what}</h1>
      ${m.error ? html`<div class="form-error" role="alert">${m.error}</div>` : null}
      ${m.notice ? html`<div class="anon-notice edit-notice" role="status">${m.notice}</div>` : null}
      ${m.conflict ? conflictNotice(m) : null}
      ${m.conflict ? conflictResolver(ctx, m) : null}
      ${!ctx.actor && ctx.anonEdits ? html`<p class="anon-notice">You are not logged in. Saving makes a temporary account for you; your IP address will be visible to administrators. <a href="/login?returnto=${encodeURIComponent(ctx.path)}">Log in</a> to edit under your own name.</p>` : null}
      ${editForm(ctx, m)}
      ${m.conflict ? conflictTexts(m.conflict) : null}`,
  });
}

/**
 * "View source": the text of a page the viewer may not edit (protected, blocked, or editing needs
 * an account), read-only, with the reason and what would let them edit: logging in, the talk page.
 */
export function sourcePage(ctx: ViewContext, m: { title: Title; source: string; reason: string }): Html {
  const talk = talkTitleOf(m.title);
  const back = encodeURIComponent(ctx.path);
  return layout(ctx, {
    title: `View source for ${m.title.text}`,
    page: m.title,
    tab: 'edit',
    exists: true,
    noindex: true,
    body: html`<h1 class="page-title">View source for ${m.title.text}</h1>
      ${blockedNotice(ctx)}
      ${ctx.block ? html`<p>You can copy the text below.</p>` : html`<div class="source-notice" role="note"><p>You cannot edit this page. ${m.reason}</p>
        <p>${ctx.actor?.kind === 'user' ? null : html`<a href="/login?returnto=${back}">Log in</a> or <a href="/register?returnto=${back}">create an account</a> if that would let you edit it. `}${talk && talk.text !== m.title.text ? html`You can suggest a change on the <a href="${wikiPath(talk)}">talk page</a>. ` : null}You can copy the text below.</p></div>`}
      <label for="source" class="source-label">Source of ${m.title.text}</label>
      <textarea id="source" class="view-source" readonly rows="25" spellcheck="false">
${m.source}</textarea>`,
  });
}

function editForm(ctx: ViewContext, m: EditFormModel): Html {
  const action = `${wikiPath(m.title)}?action=submit`;
  const previewUrl = `${wikiPath(m.title)}?action=preview`;
  return html`<form class="edit-form" method="post" action="${action}">
    <input type="hidden" name="csrf" value="${ctx.csrfToken}">
    <input type="hidden" name="user" value="${ctx.actor?.id ?? ''}">
    <input type="hidden" name="base" value="${m.baseId ?? ''}">
    ${m.section !== undefined ? html`<input type="hidden" name="section" value="${m.section}">` : null}
    ${m.newTopic ? html`<input type="hidden" name="section" value="new">
    <p class="form-field topic-subject"><label for="subject">Subject</label>
      <input id="subject" name="subject" type="text" maxlength="200" value="${m.newTopic.subject}" aria-describedby="subject-hint">
      <small id="subject-hint" class="hint">The heading of your topic. Sign your text with ~~~~ (see <a href="/wiki/Help:Talk_pages">Help:Talk pages</a>).</small></p>
    <label for="source">Your text</label>` : html`<label for="source" class="visually-hidden">Page source (Markdown)</label>`}
    <textarea id="source" name="source" rows="24" spellcheck="true"
      hx-post="${previewUrl}" hx-trigger="input changed delay:600ms" hx-target="#live-preview" hx-swap="innerHTML"
      hx-sync="this:replace" hx-indicator="#live-preview">
${m.source}</textarea>
    <div class="edit-options">
      <label for="summary">Summary</label>
      <input id="summary" name="summary" type="text" maxlength="500" value="${m.summary}" placeholder="Briefly describe your changes">
      <label class="checkbox"><input type="checkbox" name="minor" value="1"${attr(m.minor, 'checked')}> This is a minor edit</label>
      ${m.watch !== undefined ? html`<input type="hidden" name="watch_shown" value="1"><label class="checkbox"><input type="checkbox" name="watch" value="1"${attr(m.watch, 'checked')}> Watch this page</label>` : null}
    </div>
    <div class="edit-buttons">
      <button type="submit" name="do" value="save" class="primary" accesskey="s" title="Save your changes [alt-shift-s]">Save changes</button>
      <button type="submit" name="do" value="preview" accesskey="p" title="Preview your changes [alt-shift-p]">Show preview</button>
      <button type="submit" name="do" value="changes" accesskey="v" title="Show which changes you made to the text [alt-shift-v]"
        hx-post="${wikiPath(m.title)}?action=changes" hx-target="#changes-view" hx-swap="innerHTML">Show changes</button>
      <a href="${wikiPath(m.title)}" class="cancel">Cancel</a>
    </div>
  </form>
  <div id="changes-view" class="edit-changes" aria-live="polite">${m.changes ? changesFragment(m.changes) : null}</div>
  <section class="preview" aria-labelledby="preview-title">
    <h2 id="preview-title">Preview</h2>
    <div id="live-preview" class="page-body" aria-live="polite">${m.previewHtml !== undefined ? trustedHtml(m.previewHtml) : html`<p class="hint">The preview updates as you type.</p>`}</div>
  </section>
  <p class="help-link"><a href="/wiki/Help:Markdown">Markdown help</a> · <a href="/wiki/Help:Editing">Editing help</a></p>`;
}

/** "Show changes": the base revision's text against the text in the box (also what htmx swaps in). */
export function changesFragment(c: Comparison): Html {
  return html`<h2>Your changes</h2>${diffTable(c, { oldLabel: 'Latest revision', newLabel: 'Your text' })}`;
}

function conflictNotice(m: EditFormModel): Html {
  return html`<div class="conflict-notice" role="alert">
    <p><strong>Someone else saved this page while you were editing</strong>, and your changes overlap with theirs.
    Nothing has been saved yet. Your text is in the box below, unchanged; the current text of the page is further down,
    with the differences between the two. Bring over what you need from theirs, then save: your save will be based on
    the current revision (${m.conflict!.currentId}).</p>
  </div>`;
}

/**
 * One choice per overlapping hunk: keep mine, keep theirs, or edit by hand. The editor's whole text
 * travels with the form, so the server can rebuild the merge and nothing typed is lost.
 */
function conflictResolver(ctx: ViewContext, m: EditFormModel): Html {
  const c = m.conflict!;
  let n = 0;
  const parts = c.regions.map((r) => {
    if (r.kind === 'ok') return r.lines.length ? html`<pre class="merge-ok" tabindex="0" aria-label="Lines merged without conflict">${r.lines.join('\n')}</pre>` : null;
    const i = n++;
    return html`<fieldset class="merge-hunk" id="hunk-${i}">
      <legend>Conflict ${i + 1}</legend>
      <div class="merge-sides">
        <label class="merge-choice"><input type="radio" name="choice-${i}" value="mine" checked> Keep mine
          <pre class="merge-mine">${r.mine.join('\n')}</pre></label>
        <label class="merge-choice"><input type="radio" name="choice-${i}" value="theirs"> Keep theirs
          <pre class="merge-theirs">${r.theirs.join('\n')}</pre></label>
      </div>
      <label class="merge-choice merge-hand"><input type="radio" name="choice-${i}" value="hand"> Edit by hand
        <textarea name="hand-${i}" rows="${Math.min(12, Math.max(3, r.mine.length + r.theirs.length))}">
${r.mine.join('\n')}</textarea></label>
    </fieldset>`;
  });
  return html`<section class="conflict-resolver" aria-labelledby="resolve-title">
    <h2 id="resolve-title">Resolve the ${n === 1 ? 'conflict' : `${n} conflicts`}</h2>
    <p>Lines only one of you changed are already merged. For each overlapping change, choose whose version to keep, or write it by hand.</p>
    <form method="post" action="${wikiPath(m.title)}?action=submit" class="resolve-form">
      <input type="hidden" name="csrf" value="${ctx.csrfToken}">
      <input type="hidden" name="user" value="${ctx.actor?.id ?? ''}">
      <input type="hidden" name="base" value="${c.currentId}">
      <input type="hidden" name="conflict_base" value="${c.baseId ?? ''}">
      <input type="hidden" name="summary" value="${m.summary}">
      ${m.minor ? html`<input type="hidden" name="minor" value="1">` : null}
      <textarea name="mine" hidden aria-hidden="true">
${m.source}</textarea>
      ${parts}
      <p><button type="submit" name="do" value="resolve" class="primary">Save the merged text</button></p>
    </form>
    <p class="hint">Or edit the whole text yourself in the box below and save it.</p>
  </section>`;
}

function conflictTexts(c: NonNullable<EditFormModel['conflict']>): Html {
  return html`<section class="conflict-current" aria-labelledby="current-title">
    <h2 id="current-title">The current text (revision ${c.currentId})</h2>
    <textarea readonly rows="16" aria-labelledby="current-title">
${c.currentSource}</textarea>
    <h2>Differences: the current text → your text</h2>
    ${diffTable(c.comparison, { oldLabel: 'Current text', newLabel: 'Your text' })}
  </section>`;
}
