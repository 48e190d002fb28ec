import fs from 'node:fs';
import { STDIN } from './files.js';

/**
 * The texts of the input, for what reports on it after loading (positions, comment directives). A command
 * that reports positions keeps the texts from loading, so that a file is not read and decoded again for each
 * consumer; otherwise a file is read on first use, once. Undefined when it cannot be read any more.
 */
export class SourceTexts {
  private readonly read = new Map<string, string | undefined>();

  constructor(kept?: Map<string, string>, stdinText?: string) {
    if (kept) for (const [file, text] of kept) this.read.set(file, text);
    if (stdinText !== undefined) this.read.set(STDIN, stdinText);
  }

  get(file: string): string | undefined {
    if (this.read.has(file)) return this.read.get(file);
    let text: string | undefined;
    if (file !== STDIN) {
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch {
        text = undefined;
      }
    }
    this.read.set(file, text);
    return text;
  }
}
