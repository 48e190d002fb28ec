/**
 * Buffered writing with back-pressure, so that a huge matrix streams to a pipe or file instead of being built
 * as one string (V8 caps strings at about 512 MB) and so that nothing is lost when stdout is a slow pipe.
 */
export class Sink {
  private parts: string[] = [];
  private size = 0;

  constructor(private readonly stream: NodeJS.WritableStream, private readonly highWater = 1 << 20) {}

  write(text: string): void {
    this.parts.push(text);
    this.size += text.length;
  }

  /**
   * Enough is buffered to flush. Loops test this before awaiting `flush()`: an await per written item would cost
   * a promise and a microtask each: about 40 ms of the 104k-pair medium benchmark listing.
   */
  get full(): boolean {
    return this.size >= this.highWater;
  }

  async flush(): Promise<void> {
    if (this.size === 0) return;
    const chunk = this.parts.join('');
    this.parts = [];
    this.size = 0;
    if (!this.stream.write(chunk)) await new Promise<void>((resolve) => this.stream.once('drain', resolve));
  }
}
