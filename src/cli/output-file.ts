import fs from 'node:fs';
import type { SinkTarget } from '../report/sink.js';
import { UserError } from './errors.js';

/**
 * The file of `--output-file`, written synchronously chunk by chunk: a report streams to it as to stdout, and a
 * write that fails (a full disk) stops the command with a message, where a stream would only emit an event.
 */
export class OutputFile implements SinkTarget {
  /** Every chunk is written before `write` returns, so the sink may fill its blocks again at once. */
  readonly writableLength = 0;

  private constructor(readonly fd: number, private readonly file: string) {}

  static open(file: string): OutputFile {
    try {
      return new OutputFile(fs.openSync(file, 'w'), file);
    } catch (err) {
      throw OutputFile.failed(file, err);
    }
  }

  write(chunk: string | Uint8Array): boolean {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    try {
      for (let done = 0; done < bytes.length; ) done += fs.writeSync(this.fd, bytes, done, bytes.length - done);
    } catch (err) {
      throw OutputFile.failed(this.file, err);
    }
    return true;
  }

  /** Never waited for: every write completes at once. */
  once(): this {
    return this;
  }

  close(): void {
    fs.closeSync(this.fd);
  }

  private static failed(file: string, err: unknown): UserError {
    return new UserError(`--output-file: cannot write ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
}
