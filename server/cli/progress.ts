/** A one-line progress bar on standard error, drawn only when it is a terminal. */
import type { CliIo } from './io.js';

export interface Progress {
  /** Count `n` more units of work done. */
  tick(n?: number): void;
  /** Set the amount done outright (a backup reports pages left, not pages done). */
  set(done: number, total?: number): void;
  /** Erase the bar so the summary line that follows starts clean. */
  done(): void;
}

const WIDTH = 24;
/** Redraw at most this often: a terminal repaint per revision would cost more than the work. */
const MIN_INTERVAL_MS = 100;
const NONE: Progress = { tick: () => {}, set: () => {}, done: () => {} };

/**
 * A progress bar labelled `label`, counting up to `total` `unit`s. A no-op when standard error is
 * not a terminal (pipes, logs, tests), so commands call it unconditionally.
 */
export function progress(io: CliIo, label: string, total: number, unit = '', now: () => number = Date.now): Progress {
  const write = io.status;
  if (!io.isTty || !write) return NONE;
  let done = 0;
  let drawnAt = -Infinity;
  let drawnPercent = -1;
  let drawn = false;
  const draw = (force: boolean) => {
    const percent = total > 0 ? Math.min(100, Math.floor((done / total) * 100)) : 100;
    const t = now();
    if (!force && (percent === drawnPercent || t - drawnAt < MIN_INTERVAL_MS)) return;
    drawnAt = t;
    drawnPercent = percent;
    drawn = true;
    const filled = Math.round((percent / 100) * WIDTH);
    const bar = '#'.repeat(filled) + '-'.repeat(WIDTH - filled);
    write(`\r${label} [${bar}] ${String(percent).padStart(3)}% ${done}/${total}${unit ? ` ${unit}` : ''}\u001b[K`);
  };
  return {
    tick(n = 1) {
      done += n;
      draw(done === total);
    },
    set(value, newTotal) {
      if (newTotal !== undefined) total = newTotal;
      done = value;
      draw(done === total);
    },
    done() {
      if (drawn) write('\r\u001b[K');
    },
  };
}
