/** ?action=blame: the current text in runs of lines, each with the revision and author that wrote it. */
import { html, type Html } from '../html.js';
import { layout } from '../layout.js';
import type { ViewContext } from '../context.js';
import { timeTag, userLink } from '../format.js';
import { wikiPath, type Title } from '../../server/wiki/title.js';
import type { BlameBlock } from '../../server/wiki/blame.js';

export function blamePage(ctx: ViewContext, title: Title, revisionId: number, lines: string[], blocks: BlameBlock[]): Html {
  const path = wikiPath(title);
  const authors = new Set(blocks.map((b) => b.revision.actor.name));
  return layout(ctx, {
    title: `Who wrote ${title.text}`,
    page: title,
    tab: 'history',
    noindex: true,
    body: html`<h1 class="page-title">Who wrote "${title.text}"</h1>
      <p>The text of <a href="${path}?oldid=${revisionId}">revision ${revisionId}</a>, each run of lines credited to the edit that
        wrote it (${authors.size} ${authors.size === 1 ? 'author' : 'authors'}). A revert gives the text back to its first writers.</p>
      <table class="blame">
        <thead><tr><th scope="col">Lines</th><th scope="col">Written in</th><th scope="col">Text</th></tr></thead>
        <tbody>${blocks.map((b) => html`<tr>
          <td class="blame-lines">${b.fromLine}${b.lines > 1 ? `–${b.fromLine + b.lines - 1}` : ''}</td>
          <td class="blame-who"><a href="${path}?diff=${b.revision.id}">revision ${b.revision.id}</a><br>${userLink(b.revision.actor)}<br>${timeTag(b.revision.timestamp)}</td>
          <td class="blame-text"><pre>${lines.slice(b.fromLine - 1, b.fromLine - 1 + b.lines).join('\n')}</pre></td>
        </tr>`)}</tbody>
      </table>`,
  });
}
