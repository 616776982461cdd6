/** A file written in pieces gathered to about a megabyte, so a long export makes few system calls and holds little. */
import { closeSync, openSync, writeSync } from 'node:fs';

const FLUSH_AT = 1 << 20;

export class BufferedFile {
  private readonly fd: number;
  private parts: string[] = [];
  private size = 0;

  /** `flags` as for fs.open: 'w' replaces, 'wx' refuses a file that exists. */
  constructor(path: string, flags = 'w') {
    this.fd = openSync(path, flags);
  }

  write(text: string): void {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= FLUSH_AT) this.flush();
  }

  /** Write what is gathered and close the file. */
  close(): void {
    this.flush();
    closeSync(this.fd);
  }

  private flush(): void {
    if (this.parts.length) writeSync(this.fd, this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }
}
