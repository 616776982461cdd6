/**
 * Byte deltas between two texts (pure): `makeDelta(base, target)` writes the target as copies of
 * the base's bytes and literal inserts; `applyDelta(base, delta)` rebuilds the target. content.ts
 * stores old revisions this way, each against a newer text of the same page.
 *
 * The encoder is git's and xdelta's idea: index the base by the hash of every aligned block of
 * BLOCK bytes, roll a hash over every window of the target, and extend each verified block match
 * forwards and backwards. Each target position is looked up once and each hit is checked once, so
 * the work is linear in both sizes, whatever the text (no quadratic worst case to paste in).
 *
 * Format: varint base length, varint target length, then ops until the target is full:
 *   varint (n << 1) | 0, then n literal bytes            insert
 *   varint (n << 1) | 1, then zigzag varint offset delta   copy n bytes of the base, from the end of
 *                                                          the previous copy plus the offset delta
 */

const BLOCK = 16;
/** A copy shorter than this costs more in ops than its bytes would as a literal. */
const MIN_COPY = BLOCK;
const MULTIPLIER = 0x01000193;
/** MULTIPLIER to the power BLOCK - 1, modulo 2^32: what the byte leaving the window weighed. */
const OUTGOING = (() => {
  let p = 1;
  for (let i = 1; i < BLOCK; i++) p = Math.imul(p, MULTIPLIER);
  return p;
})();

function hashAt(bytes: Uint8Array, at: number): number {
  let h = 0;
  for (let i = at; i < at + BLOCK; i++) h = (Math.imul(h, MULTIPLIER) + bytes[i]!) | 0;
  return h;
}

/** The base's blocks by hash: slot → 1 + offset of the first block with that hash (0: none). */
function indexBlocks(base: Uint8Array): { slots: Int32Array; mask: number } {
  const blocks = Math.floor(base.length / BLOCK);
  let size = 1024;
  while (size < blocks * 2) size *= 2;
  const slots = new Int32Array(size);
  const mask = size - 1;
  for (let at = 0; at + BLOCK <= base.length; at += BLOCK) {
    const slot = hashAt(base, at) & mask;
    if (slots[slot] === 0) slots[slot] = at + 1;
  }
  return { slots, mask };
}

class Writer {
  private buf = new Uint8Array(256);
  length = 0;

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  varint(n: number): void {
    this.room(10);
    while (n >= 0x80) {
      this.buf[this.length++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.buf[this.length++] = n;
  }

  bytes(from: Uint8Array, start: number, end: number): void {
    this.room(end - start);
    this.buf.set(from.subarray(start, end), this.length);
    this.length += end - start;
  }

  result(): Buffer {
    return Buffer.from(this.buf.buffer, 0, this.length);
  }
}

function zigzag(n: number): number {
  return n >= 0 ? n * 2 : -n * 2 - 1;
}

function unzigzag(n: number): number {
  return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
}

/** The delta that turns `base` into `target`. Linear in their sizes. */
export function makeDelta(base: Uint8Array, target: Uint8Array): Buffer {
  const out = new Writer();
  out.varint(base.length);
  out.varint(target.length);
  let literalFrom = 0;
  let lastCopyEnd = 0;
  const emit = (copyAt: number, copyFrom: number, copyLength: number): void => {
    if (copyAt > literalFrom) {
      out.varint((copyAt - literalFrom) * 2);
      out.bytes(target, literalFrom, copyAt);
    }
    out.varint(copyLength * 2 + 1);
    out.varint(zigzag(copyFrom - lastCopyEnd));
    lastCopyEnd = copyFrom + copyLength;
    literalFrom = copyAt + copyLength;
  };

  if (base.length >= BLOCK && target.length >= BLOCK) {
    const { slots, mask } = indexBlocks(base);
    let at = 0;
    let h = hashAt(target, 0);
    while (at + BLOCK <= target.length) {
      const candidate = slots[h & mask]! - 1;
      if (candidate >= 0 && sameBlock(base, candidate, target, at)) {
        let from = candidate;
        let start = at;
        while (start > literalFrom && from > 0 && base[from - 1] === target[start - 1]) {
          start--;
          from--;
        }
        let end = at + BLOCK;
        let fromEnd = candidate + BLOCK;
        while (end < target.length && fromEnd < base.length && base[fromEnd] === target[end]) {
          end++;
          fromEnd++;
        }
        if (end - start >= MIN_COPY) {
          emit(start, from, end - start);
          at = end;
          if (at + BLOCK <= target.length) h = hashAt(target, at);
          continue;
        }
      }
      if (at + BLOCK >= target.length) break;
      h = (Math.imul(h - Math.imul(target[at]!, OUTGOING), MULTIPLIER) + target[at + BLOCK]!) | 0;
      at++;
    }
  }
  if (literalFrom < target.length) {
    out.varint((target.length - literalFrom) * 2);
    out.bytes(target, literalFrom, target.length);
  }
  return out.result();
}

function sameBlock(a: Uint8Array, ai: number, b: Uint8Array, bi: number): boolean {
  for (let k = 0; k < BLOCK; k++) if (a[ai + k] !== b[bi + k]) return false;
  return true;
}

/**
 * The target a delta was made for, from the same base.
 * @throws when the delta is malformed or was made from a base of another length.
 */
export function applyDelta(base: Uint8Array, delta: Uint8Array): Buffer {
  let pos = 0;
  const varint = (): number => {
    let n = 0;
    let scale = 1;
    for (;;) {
      if (pos >= delta.length) throw new Error('delta ends inside a number');
      const b = delta[pos++]!;
      n += (b & 0x7f) * scale;
      if (b < 0x80) return n;
      scale *= 0x80;
      if (scale > 2 ** 49) throw new Error('delta holds a number too large');
    }
  };
  const baseLength = varint();
  if (baseLength !== base.length) throw new Error(`delta was made from a base of ${baseLength} bytes, not ${base.length}`);
  const out = Buffer.allocUnsafe(varint());
  let filled = 0;
  let lastCopyEnd = 0;
  while (filled < out.length) {
    const op = varint();
    const n = Math.floor(op / 2);
    if (n === 0 || filled + n > out.length) throw new Error('delta op runs past the target');
    if (op % 2 === 0) {
      if (pos + n > delta.length) throw new Error('delta ends inside a literal');
      out.set(delta.subarray(pos, pos + n), filled);
      pos += n;
    } else {
      const from = lastCopyEnd + unzigzag(varint());
      if (from < 0 || from + n > base.length) throw new Error('delta copies from outside its base');
      out.set(base.subarray(from, from + n), filled);
      lastCopyEnd = from + n;
    }
    filled += n;
  }
  if (pos !== delta.length) throw new Error('delta has bytes past its target');
  return out;
}
