/** Table cell alignment as classes: markdown-it's inline style="text-align" would break our CSP. */
import type { Token } from 'markdown-it';

export function alignmentClasses(tokens: Token[]): void {
  for (const t of tokens) {
    if (t.type !== 'th_open' && t.type !== 'td_open') continue;
    const style = t.attrGet('style');
    if (!style) continue;
    const m = /text-align:\s*(left|center|right)/.exec(style);
    t.attrs = (t.attrs ?? []).filter(([name]) => name !== 'style');
    if (m) t.attrJoin('class', `align-${m[1]}`);
  }
}
