/** The CLI's input and output, passed in so commands can be tested without a terminal. */

export class CliError extends Error {
  override name = 'CliError';
}

export interface CliIo {
  env: Record<string, string | undefined>;
  out(line: string): void;
  err(line: string): void;
  /** All of standard input as text (the password for `user add`). */
  readStdin(): Promise<string>;
  /** Whether standard error is a terminal (then long work shows a progress bar there). */
  isTty: boolean;
  /** Raw text on standard error with no newline added: the progress bar's redraws. */
  status?(text: string): void;
}

export function processIo(): CliIo {
  return {
    env: process.env,
    out: (line) => console.log(line),
    err: (line) => console.error(line),
    isTty: Boolean(process.stderr.isTTY),
    status: (text) => process.stderr.write(text),
    readStdin: async () => {
      if (process.stdin.isTTY) process.stderr.write('Password (then Enter, then Ctrl-D): ');
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
  };
}
