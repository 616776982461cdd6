/**
 * A generic Atom 1.0 (RFC 4287) feed builder: feed facts plus entries in, a complete document out.
 * Used for page histories; recent changes and contributions feeds can pass their own entries.
 * Every text node and attribute is escaped by the xml`` template.
 */
import { XML_DECLARATION, xml, type Xml } from '../xml.js';

export const ATOM_CONTENT_TYPE = 'application/atom+xml; charset=utf-8';

export interface AtomPerson {
  name: string;
  uri?: string;
}

export interface AtomEntry {
  /** A permanent, unique IRI (an absolute URL is fine). */
  id: string;
  title: string;
  /** RFC 3339 time (ISO 8601 UTC). */
  updated: string;
  author: AtomPerson;
  /** Where the entry is read (for a revision: its diff). */
  link: string;
  /** Plain-text summary. */
  summary?: string;
  /** HTML summary (escaped into the feed; readers render it). Used instead of `summary` when set. */
  summaryHtml?: string;
  categories?: string[];
}

export interface AtomFeed {
  id: string;
  title: string;
  subtitle?: string;
  /** When the feed last changed; defaults to the newest entry's time. */
  updated?: string;
  /** The feed's own URL (link rel="self"). */
  selfUrl: string;
  /** The HTML page the feed follows (link rel="alternate"). */
  alternateUrl?: string;
  /** Needed when an entry has no author of its own; every entry here has one, so optional. */
  author?: AtomPerson;
  entries: AtomEntry[];
  generator?: string;
}

function author(p: AtomPerson): Xml {
  return xml`<author><name>${p.name}</name>${p.uri ? xml`<uri>${p.uri}</uri>` : null}</author>`;
}

function entry(e: AtomEntry): Xml {
  return xml`
  <entry>
    <id>${e.id}</id>
    <title type="text">${e.title}</title>
    <updated>${e.updated}</updated>
    ${author(e.author)}
    <link rel="alternate" type="text/html" href="${e.link}"/>
    ${e.summaryHtml !== undefined ? xml`<summary type="html">${e.summaryHtml}</summary>` : e.summary !== undefined ? xml`<summary type="text">${e.summary}</summary>` : null}
    ${(e.categories ?? []).map((c) => xml`<category term="${c}"/>`)}
  </entry>`;
}

/** The feed document, starting with the XML declaration. */
export function atomFeed(feed: AtomFeed): string {
  const updated = feed.updated ?? feed.entries.map((e) => e.updated).sort().at(-1) ?? new Date(0).toISOString();
  const doc = xml`<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  <id>${feed.id}</id>
  <title type="text">${feed.title}</title>
  ${feed.subtitle !== undefined ? xml`<subtitle type="text">${feed.subtitle}</subtitle>` : null}
  <updated>${updated}</updated>
  <link rel="self" type="application/atom+xml" href="${feed.selfUrl}"/>
  ${feed.alternateUrl ? xml`<link rel="alternate" type="text/html" href="${feed.alternateUrl}"/>` : null}
  ${feed.author ? author(feed.author) : null}
  <generator>${feed.generator ?? 'Peerwiki'}</generator>${feed.entries.map(entry)}
</feed>
`;
  return XML_DECLARATION + doc.value;
}
