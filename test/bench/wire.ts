/**
 * A lean HTTP/1.1 keep-alive connection for the load generator and the save figures: it writes
 * requests and reads answers framed by Content-Length (or chunked), nothing more. node:http's
 * client spends more CPU per request than a bare node:http server does to answer, so on two cores
 * it would measure itself.
 */
import { connect, type Socket } from 'node:net';

export interface Answer {
  status: number;
  bytes: number;
  /**
   * Whether a cache in between answered from what it had stored: X-Cache: HIT (as our VCL says),
   * or else X-Varnish naming two requests (this one and the one that stored it); undefined when
   * the answer has neither header.
   */
  cacheHit?: boolean;
}

/** An answer whose body was kept. */
export interface FullAnswer extends Answer {
  body: Buffer;
  ms: number;
}

const X_CACHE = /\r\nx-cache:[ \t]*(\w+)/i;
const X_VARNISH = /\r\nx-varnish:[ \t]*\d+([ \t]+\d+)?/i;

function cacheHit(head: string): boolean | undefined {
  const cache = X_CACHE.exec(head);
  if (cache) return cache[1]!.toUpperCase() === 'HIT';
  const varnish = X_VARNISH.exec(head);
  return varnish ? varnish[1] !== undefined : undefined;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/** One connection; `get` may be called again once the previous answer has arrived. */
export class WireConnection {
  private socket: Socket | undefined;
  private buffered: Buffer = Buffer.alloc(0);
  private waiting: { resolve: (a: Answer) => void; reject: (e: Error) => void } | undefined;
  private head: Head | undefined;
  /** The body's chunks, while an answer to `send` is read. */
  private kept: Buffer[] | undefined;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly extraHeaders = '',
  ) {}

  get(path: string): Promise<Answer> {
    const socket = this.socket ?? this.open();
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      socket.write(`GET ${path} HTTP/1.1\r\nHost: ${this.host}:${this.port}\r\n${this.extraHeaders}\r\n`);
    });
  }

  /** Any request, `body` sent with its Content-Length; the answer's body is kept. */
  send(method: string, path: string, headers: Record<string, string>, body?: Buffer): Promise<FullAnswer> {
    const socket = this.socket ?? this.open();
    let head = `${method} ${path} HTTP/1.1\r\nHost: ${this.host}:${this.port}\r\n${this.extraHeaders}`;
    for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}\r\n`;
    if (body) head += `Content-Length: ${body.length}\r\n`;
    const t0 = performance.now();
    return new Promise((resolve, reject) => {
      this.kept = [];
      this.waiting = {
        resolve: (a) => resolve({ ...a, body: Buffer.concat(this.kept ?? []), ms: performance.now() - t0 }),
        reject,
      };
      socket.cork();
      socket.write(`${head}\r\n`);
      if (body) socket.write(body);
      socket.uncork();
    });
  }

  close(): void {
    this.socket?.destroy();
    this.socket = undefined;
  }

  private open(): Socket {
    const socket = connect(this.port, this.host);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.read(chunk));
    const fail = (e: Error) => {
      // A socket we closed ourselves (Connection: close) reports its end after a new one took over.
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.buffered = Buffer.alloc(0);
      this.head = undefined;
      const w = this.waiting;
      this.waiting = undefined;
      w?.reject(e);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('connection closed')));
    this.socket = socket;
    return socket;
  }

  private read(chunk: Buffer): void {
    // Body bytes of a Content-Length answer are only counted, and kept only for `send`.
    if (this.head && !this.head.chunked) {
      this.kept?.push(chunk);
      this.head.length -= chunk.length;
      if (this.head.length <= 0) this.finish(this.head.bodyBytes);
      return;
    }
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    if (!this.head) {
      const end = this.buffered.indexOf(HEADER_END);
      if (end < 0) return;
      this.head = parseHead(this.buffered.toString('latin1', 0, end));
      this.buffered = this.buffered.subarray(end + 4);
      if (!this.head.chunked) {
        const rest = this.buffered;
        this.buffered = Buffer.alloc(0);
        this.kept?.push(rest);
        this.head.length -= rest.length;
        if (this.head.length <= 0) this.finish(this.head.bodyBytes);
        return;
      }
    }
    const body = chunkedPayload(this.buffered, this.kept);
    if (body === undefined) return;
    this.buffered = Buffer.alloc(0);
    this.finish(body);
  }

  private finish(bytes: number): void {
    const done = this.head!;
    this.head = undefined;
    if (done.close) this.close();
    const w = this.waiting;
    this.waiting = undefined;
    w?.resolve({ status: done.status, bytes, cacheHit: done.cacheHit });
    this.kept = undefined;
  }
}

interface Head {
  status: number;
  /** Body bytes still to come (Content-Length answers). */
  length: number;
  bodyBytes: number;
  chunked: boolean;
  close: boolean;
  cacheHit: boolean | undefined;
}

function parseHead(text: string): Head {
  const status = Number(text.slice(9, 12));
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(text);
  const chunked = /\r\ntransfer-encoding:\s*chunked/i.test(text);
  const close = /\r\nconnection:\s*close/i.test(text);
  const noBody = status === 304 || status === 204 || (status >= 100 && status < 200);
  const bytes = noBody ? 0 : Number(length?.[1] ?? 0);
  return { status, length: bytes, bodyBytes: bytes, chunked: chunked && !noBody, close, cacheHit: cacheHit(text) };
}

/** Payload bytes of a complete chunked body (its chunks pushed to `kept`), or undefined while it is incomplete. */
function chunkedPayload(buf: Buffer, kept?: Buffer[]): number | undefined {
  let at = 0;
  let payload = 0;
  for (;;) {
    const eol = buf.indexOf('\r\n', at);
    if (eol < 0) return undefined;
    const size = parseInt(buf.toString('latin1', at, eol), 16);
    at = eol + 2 + size + 2;
    if (at > buf.length) return undefined;
    if (size === 0) return payload;
    kept?.push(buf.subarray(eol + 2, eol + 2 + size));
    payload += size;
  }
}
