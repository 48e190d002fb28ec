import { STDIN } from './files.js';
import { readText } from './decode.js';

export interface KeptSources {
  /** Texts kept at loading, by file. */
  kept?: Map<string, string>;
  stdinText?: string;
  /** Files the loader parsed as JSON (LoadResult.jsonSources). */
  json?: Set<string>;
}

/**
 * The texts of the input, for what reports on it after loading (positions, comment directives). A command
 * that reports positions keeps the texts from loading, so that a file is not read and decoded again for each
 * consumer; otherwise a file is read on first use, once. Undefined when it cannot be read any more.
 */
export class SourceTexts {
  private readonly read = new Map<string, string | undefined>();
  private readonly json?: Set<string>;
  private readonly jsonChecked = new Map<string, boolean>();

  constructor({ kept, stdinText, json }: KeptSources = {}) {
    if (kept) for (const [file, text] of kept) this.read.set(file, text);
    if (stdinText !== undefined) this.read.set(STDIN, stdinText);
    this.json = json;
  }

  get(file: string): string | undefined {
    if (this.read.has(file)) return this.read.get(file);
    let text: string | undefined;
    if (file !== STDIN) {
      try {
        text = readText(file);
      } catch {
        text = undefined;
      }
    }
    this.read.set(file, text);
    return text;
  }

  /**
   * Whether a file is one JSON text, as the loader decided; without the loader's answer, by parsing it again
   * (flow-style YAML also starts with a brace).
   */
  isJson(file: string): boolean {
    if (this.json) return this.json.has(file);
    let answer = this.jsonChecked.get(file);
    if (answer === undefined) {
      const text = this.get(file)?.replace(/^\uFEFF/, '');
      answer = false;
      if (text !== undefined && /^\s*[[{]/.test(text)) {
        try {
          JSON.parse(text);
          answer = true;
        } catch {
          answer = false;
        }
      }
      this.jsonChecked.set(file, answer);
    }
    return answer;
  }
}
