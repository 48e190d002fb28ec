/** Line starts of a text, built on first use, to turn offsets into 1-based lines and columns. */
export class LineIndex {
  private starts?: number[];

  constructor(private readonly text: string) {}

  /** Offsets where each line starts (the first is 0). */
  get lineStarts(): number[] {
    if (!this.starts) {
      this.starts = [0];
      for (let i = this.text.indexOf('\n'); i >= 0; i = this.text.indexOf('\n', i + 1)) this.starts.push(i + 1);
    }
    return this.starts;
  }

  lineColumn(offset: number): { line: number; col: number } {
    const line = this.lineOf(offset, 0);
    return { line: line + 1, col: offset - this.lineStarts[line] + 1 };
  }

  /**
   * Lines and columns of both ends of [start, end), with the text's first line numbered `firstLine`. The end is
   * looked for from the start's line on: a reported range is a name or a short value, nearly always on one line.
   */
  span(start: number, end: number, firstLine: number): Span {
    const starts = this.lineStarts;
    const line = this.lineOf(start, 0);
    const endLine = this.lineOf(end, line);
    return { line: line + firstLine, column: start - starts[line] + 1, endLine: endLine + firstLine, endColumn: end - starts[endLine] + 1 };
  }

  /** 0-based line of `offset`, at or after line `from`. */
  private lineOf(offset: number, from: number): number {
    const starts = this.lineStarts;
    let lo = from;
    let hi = starts.length - 1;
    if (lo === hi || starts[lo + 1] > offset) return lo;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

/** A range as 1-based lines and columns of its file. */
export interface Span {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}
