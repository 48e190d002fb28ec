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

  /** Call often from loops: flushes when enough is buffered and waits while the stream is full. */
  async maybeFlush(): Promise<void> {
    if (this.size >= this.highWater) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.size === 0) return;
    const chunk = this.parts.join('');
    this.parts = [];
    this.size = 0;
    if (!this.stream.write(chunk)) await new Promise<void>((resolve) => this.stream.once('drain', resolve));
  }
}
