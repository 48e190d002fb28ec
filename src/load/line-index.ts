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
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - starts[lo] + 1 };
  }
}
