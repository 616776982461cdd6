/** Table cell alignment as classes: markdown-it's inline style="text-align" would break our CSP. */
import type { RendererRule } from 'markdown-it';

const ALIGN = /^text-align:(left|center|right)$/;

/**
 * Renderer rule for th_open and td_open: the style markdown-it gives an aligned cell becomes class
 * "align-left|center|right". At render time and in place rather than as a pass over the tokens,
 * which allocated for every cell: a 1 MiB table of aligned cells spent most of its time collecting that.
 */
export const renderCellOpen: RendererRule = (tokens, idx, options, _env, self) => {
  const attrs = tokens[idx]!.attrs;
  const at = attrs?.findIndex(([name]) => name === 'style') ?? -1;
  if (attrs && at >= 0) {
    const m = ALIGN.exec(attrs[at]![1]);
    if (m) attrs[at] = ['class', `align-${m[1]}`];
    else attrs.splice(at, 1);
  }
  return self.renderToken(tokens, idx, options);
};
