/** Sitemaps (sitemaps.org 0.9): a URL set, and the index that lists several of them. */
import { XML_DECLARATION, xml } from '../xml.js';

export const SITEMAP_CONTENT_TYPE = 'application/xml; charset=utf-8';

const NS = 'http://www.sitemaps.org/schemas/sitemap/0.9';

/** A <urlset> of absolute URLs, each with its last modification time. */
export function urlSet(urls: { loc: string; lastmod: string }[]): string {
  return XML_DECLARATION + xml`<urlset xmlns="${NS}">
${urls.map((u) => xml`<url><loc>${u.loc}</loc><lastmod>${u.lastmod}</lastmod></url>
`)}</urlset>
`.value;
}

/** A <sitemapindex> of absolute sitemap file URLs. */
export function sitemapIndex(files: { loc: string; lastmod?: string }[]): string {
  return XML_DECLARATION + xml`<sitemapindex xmlns="${NS}">
${files.map((f) => xml`<sitemap><loc>${f.loc}</loc>${f.lastmod ? xml`<lastmod>${f.lastmod}</lastmod>` : null}</sitemap>
`)}</sitemapindex>
`.value;
}
