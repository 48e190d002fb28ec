/** Room past the high-water mark in a block, so that the writes that reach the mark usually fit in it. */
const SLACK = 64 * 1024;
const EMPTY = Buffer.alloc(0);
const FIRST_BLOCK = 16 * 1024;
/** Full-size blocks kept for reuse; a flush hands over two at most (see `flush`). */
const SPARE_BLOCKS = 2;

/**
 * Where a sink writes: a Node stream (stdout), or anything that takes chunks the same way, such as a file written
 * synchronously (`--output-file`). `fd` and `writableLength` tell whether written blocks are free again.
 */
export interface SinkTarget {
  write(chunk: string | Uint8Array): boolean;
  once(event: 'drain', listener: () => void): unknown;
  readonly fd?: unknown;
  readonly writableLength?: number;
}

/**
 * Whether everything handed to the stream has gone to its file descriptor: true for stdout on a file or
 * /dev/null (written synchronously), and for a pipe once its writes have completed (at once, or by the drain a
 * flush waited for). Only then is the memory of the blocks written free again; a stream of another kind may keep
 * them (a test's collector), and one with writes still queued holds them until they complete.
 */
function wroteThrough(stream: SinkTarget): boolean {
  return typeof stream.fd === 'number' && stream.writableLength === 0;
}

/**
 * Buffered writing with back-pressure, so that a huge matrix streams to a pipe or file instead of being built
 * as one string (V8 caps strings at about 512 MB) and so that nothing is lost when stdout is a slow pipe.
 *
 * Takes text and bytes. Pieces that repeat many times (an endpoint id, a connection set) are best encoded once and
 * written as bytes (`writeBytes`): the 120,000-pair listing of the large benchmark profile, written as a rope of
 * such pieces, spent some 30 ms more of its time in flattening the rope and encoding it than in copying bytes.
 * Text is kept as strings until bytes follow it or the sink flushes, so that many small writes stay cheap.
 */
export class Sink {
  /** Filled byte blocks not yet handed to the stream, in order. */
  private chunks: Buffer[] = [];
  private chunkBytes = 0;
  /** The block being filled (made when bytes first come), and how far. */
  private block: Buffer = EMPTY;
  private pos = 0;
  /**
   * Blocks start small and double up to the high-water size, so that a long run of byte writes takes the
   * new-block path within its first 16 KiB, while the writer that inlines it is young and cheap to compile again,
   * rather than first after 1 MB, in the optimised connection writer of a big listing (which was then thrown away).
   */
  private blockSize = 0;
  /** Text written after everything in `block`, not yet encoded. */
  private text: string[] = [];
  private textLength = 0;
  /**
   * Full-size blocks handed to the stream at the last flush, and blocks free to fill again. A new block is fresh
   * memory, which the system maps page by page on first write: writing the 3 GB dense listing into new blocks
   * spent more time in those page faults than in copying its bytes.
   */
  private handedOver: Buffer[] = [];
  private spare: Buffer[] = [];

  constructor(private readonly stream: SinkTarget, private readonly highWater = 1 << 20) {}

  write(text: string): void {
    this.text.push(text);
    this.textLength += text.length;
  }

  /** Writes bytes, typically of a piece encoded once and written many times. The sink copies them. */
  writeBytes(bytes: Uint8Array): void {
    if (this.textLength > 0) this.encodeText();
    this.reserve(bytes.length);
    this.block.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /**
   * Writes bytes of any size, filling the block being filled before starting the next: for long pieces, which
   * `writeBytes` would put in a block of their own.
   */
  writeSpan(bytes: Uint8Array): void {
    if (this.textLength > 0) this.encodeText();
    for (let at = 0; at < bytes.length; ) {
      if (this.pos === this.block.length) this.newBlock(1);
      const n = Math.min(bytes.length - at, this.block.length - this.pos);
      this.block.set(n === bytes.length ? bytes : bytes.subarray(at, at + n), this.pos);
      this.pos += n;
      at += n;
    }
  }

  /**
   * Enough is buffered to flush. Loops test this before awaiting `flush()`: an await per written item would cost
   * a promise and a microtask each: about 40 ms of the 104k-pair medium benchmark listing.
   */
  get full(): boolean {
    return this.chunkBytes + this.pos + this.textLength >= this.highWater;
  }

  async flush(): Promise<void> {
    let ready: boolean;
    if (this.pos === 0 && this.chunkBytes === 0) {
      // Text alone goes as it is; the stream encodes it.
      if (this.textLength === 0) return;
      ready = this.stream.write(this.text.join(''));
      this.text = [];
      this.textLength = 0;
    } else {
      if (this.textLength > 0) this.encodeText();
      this.closeBlock();
      // Block by block: writers fill past the high-water mark by up to one source's lines, so a flush often holds
      // two blocks, and joining them copied every byte once more.
      ready = true;
      for (let i = 0; i < this.chunks.length; i++) ready = this.stream.write(this.chunks[i]);
      this.chunks = [];
      this.chunkBytes = 0;
    }
    // Once a write is refused, the ones after it are too: the last one tells.
    if (!ready) await new Promise<void>((resolve) => this.stream.once('drain', resolve));
    if (wroteThrough(this.stream)) this.spare = this.handedOver.slice(0, SPARE_BLOCKS);
    this.handedOver = [];
  }

  private encodeText(): void {
    const text = this.text.length === 1 ? this.text[0] : this.text.join('');
    this.text = [];
    this.textLength = 0;
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    if (text.length * 3 > this.highWater + SLACK) {
      this.closeBlock();
      this.pushChunk(Buffer.from(text, 'utf8'));
      return;
    }
    this.reserve(text.length * 3);
    this.pos += this.block.write(text, this.pos, 'utf8');
  }

  /**
   * Makes room for `bytes` more, in a new block when the one being filled is short; text and bytes both ask here.
   */
  private reserve(bytes: number): void {
    if (bytes > this.block.length - this.pos) this.newBlock(bytes);
  }

  /**
   * Ends the block being filled. The stream may hold on to what it was given: a full-size block is filled again
   * only once a flush finds that the stream wrote it through (see `flush`); one made larger for a big piece never is.
   */
  private closeBlock(): void {
    if (this.pos > 0) this.pushChunk(this.block.subarray(0, this.pos));
    if (this.block.length >= this.highWater && this.block.length <= this.highWater + SLACK) this.handedOver.push(this.block);
    this.block = EMPTY;
    this.pos = 0;
  }

  private pushChunk(bytes: Buffer): void {
    this.chunks.push(bytes);
    this.chunkBytes += bytes.length;
  }

  private newBlock(atLeast: number): void {
    const size = Math.min(this.highWater + SLACK, Math.max(FIRST_BLOCK, this.blockSize * 2));
    this.closeBlock();
    this.blockSize = size;
    const reused = this.spare.length > 0 && this.spare[this.spare.length - 1].length >= atLeast ? this.spare.pop() : undefined;
    this.block = reused ?? Buffer.allocUnsafe(Math.max(size, atLeast));
  }
}
