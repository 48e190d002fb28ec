import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Writable } from 'node:stream';
import { Sink } from '../src/report/sink.js';

/** A stream that records chunks and reports itself full after each one until drained by hand. */
function slowStream() {
  const chunks: string[] = [];
  const stream = new Writable({ highWaterMark: 1, write(chunk, _enc, done) { chunks.push(String(chunk)); setImmediate(done); } });
  return { stream, chunks };
}

test('a sink is full only once the buffered text reaches its high-water mark', () => {
  const sink = new Sink(slowStream().stream, 10);
  sink.write('12345');
  assert.is(sink.full, false);
  sink.write('67890');
  assert.is(sink.full, true);
});

test('flush hands the buffered text over in order, as one chunk, and leaves the sink empty', async () => {
  const { stream, chunks } = slowStream();
  const sink = new Sink(stream, 10);
  sink.write('a');
  sink.write('b');
  await sink.flush();
  assert.equal(chunks, ['ab']);
  assert.is(sink.full, false);
  await sink.flush();
  assert.equal(chunks, ['ab'], 'an empty flush writes nothing');
});

test('flush waits for the stream to drain when the stream is full', async () => {
  const { stream, chunks } = slowStream();
  const sink = new Sink(stream, 4);
  for (const part of ['one ', 'two ', 'three ']) {
    sink.write(part);
    if (sink.full) await sink.flush();
    // After a flush returns the stream has taken the chunk and drained: nothing piles up in memory.
    assert.is(stream.writableLength, 0);
  }
  assert.equal(chunks, ['one ', 'two ', 'three ']);
});

/** A stream that keeps the chunks it was given, as a pipe may until the other end reads them. */
function keepingStream() {
  const chunks: Buffer[] = [];
  const stream = new Writable({ write(chunk, _enc, done) { chunks.push(chunk); done(); } });
  return { stream, chunks };
}

test('text and bytes come out in the order they were written, as one chunk per flush', async () => {
  const { stream, chunks } = keepingStream();
  const sink = new Sink(stream, 1 << 10);
  sink.write('{"a":');
  sink.writeBytes(Buffer.from('"é",'));
  sink.write('"b":');
  sink.writeBytes(Buffer.from('1}'));
  await sink.flush();
  assert.is(chunks.length, 1);
  assert.is(chunks[0].toString('utf8'), '{"a":"é","b":1}');
});

test('written bytes are copied: changing the piece afterwards changes nothing written', async () => {
  const { stream, chunks } = keepingStream();
  const sink = new Sink(stream, 1 << 10);
  const piece = Buffer.from('abc');
  sink.writeBytes(piece);
  piece.fill(0x78);
  sink.writeBytes(piece);
  await sink.flush();
  assert.is(Buffer.concat(chunks).toString(), 'abcxxx');
});

test('a chunk handed to the stream is never written over by later writes', async () => {
  const { stream, chunks } = keepingStream();
  const sink = new Sink(stream, 4);
  sink.writeBytes(Buffer.from('first'));
  await sink.flush();
  sink.writeBytes(Buffer.from('second'));
  await sink.flush();
  assert.equal(chunks.map(String), ['first', 'second']);
});

test('bytes count towards the high-water mark like text', () => {
  const sink = new Sink(keepingStream().stream, 6);
  sink.writeBytes(Buffer.from('abc'));
  assert.is(sink.full, false);
  sink.write('def');
  assert.is(sink.full, true);
});

test('a piece larger than a whole block is still written whole, after what came before it', async () => {
  const { stream, chunks } = keepingStream();
  const sink = new Sink(stream, 4);
  const big = Buffer.alloc(200_000, 0x61);
  sink.write('<');
  sink.writeBytes(big);
  sink.write('>');
  await sink.flush();
  const out = Buffer.concat(chunks).toString();
  assert.is(out.length, 200_002);
  assert.ok(out.startsWith('<a') && out.endsWith('a>'));
});

test('a long span fills the block being filled and goes on in the next ones, in order', async () => {
  const { stream, chunks } = keepingStream();
  const sink = new Sink(stream, 1 << 16);
  const span = Buffer.from(Array.from({ length: 100_000 }, (_, i) => String.fromCharCode(0x61 + (i % 26))).join(''));
  sink.writeBytes(Buffer.from('<'));
  sink.writeSpan(span);
  sink.write('>');
  await sink.flush();
  assert.is(Buffer.concat(chunks).toString(), `<${span.toString()}>`);
  assert.ok(chunks.length > 1, 'across blocks');
  assert.is(chunks[0].length, 16 * 1024, 'the first block filled to its end');
});

test('a long run of writes that fills blocks of growing size comes out whole and in order', async () => {
  const { stream, chunks } = keepingStream();
  const sink = new Sink(stream, 1 << 20);
  const expected: string[] = [];
  for (let i = 0; i < 60_000; i++) {
    const piece = `${i},`.repeat(1 + (i % 7));
    expected.push(piece);
    if (i % 1000 === 0) sink.write(piece);
    else sink.writeBytes(Buffer.from(piece));
    if (sink.full) await sink.flush();
  }
  await sink.flush();
  assert.ok(chunks.length > 1, 'more than one flush');
  assert.is(Buffer.concat(chunks).toString(), expected.join(''));
});

/**
 * A stream on a file descriptor, as stdout is: it copies what it is given and notes which memory each chunk was
 * in. It writes each chunk through at once (stdout on a file), or later (a pipe whose reader lags), and asks the
 * writer to wait for it from `highWaterMark` bytes queued.
 */
function fdStream(completesAtOnce: boolean, highWaterMark = 16 * 1024) {
  const copies: Buffer[] = [];
  const memory: ArrayBufferLike[] = [];
  const stream = new Writable({
    highWaterMark,
    write(chunk: Buffer, _enc, done) {
      copies.push(Buffer.from(chunk));
      memory.push(chunk.buffer);
      if (completesAtOnce) done();
      else setImmediate(done);
    },
  });
  Object.assign(stream, { fd: 1 });
  return { stream, copies, memory };
}

/** Writes pieces until `bytes` are written, flushing when full; returns what was written. */
async function fill(sink: Sink, bytes: number): Promise<string> {
  const expected: string[] = [];
  for (let i = 0, written = 0; written < bytes; i++) {
    const piece = `${i},`;
    expected.push(piece);
    sink.writeBytes(Buffer.from(piece));
    written += piece.length;
    if (sink.full) await sink.flush();
  }
  await sink.flush();
  return expected.join('');
}

test('blocks that a file descriptor has written through are filled again rather than made anew', async () => {
  const { stream, copies, memory } = fdStream(true);
  const expected = await fill(new Sink(stream, 1 << 16), 1 << 20);
  // Compared as a whole: uvu's diff of two megabyte strings would take minutes.
  assert.ok(Buffer.concat(copies).toString() === expected, 'the stream got every byte written, in order');
  assert.ok(memory.length > 8, 'many flushes');
  assert.ok(new Set(memory).size <= memory.length / 2, `${new Set(memory).size} blocks for ${memory.length} chunks`);
});

test('blocks are filled again once the stream they waited for has drained them', async () => {
  const { stream, copies, memory } = fdStream(false);
  const expected = await fill(new Sink(stream, 1 << 16), 1 << 20);
  // Compared as a whole: uvu's diff of two megabyte strings would take minutes.
  assert.ok(Buffer.concat(copies).toString() === expected, 'the stream got every byte written, in order');
  assert.ok(new Set(memory).size <= memory.length / 2, `${new Set(memory).size} blocks for ${memory.length} chunks`);
});

test('blocks still queued in the stream are never filled again', async () => {
  // Room for everything: no write is refused, so no flush waits, and each leaves its blocks queued.
  const { stream, copies, memory } = fdStream(false, 1 << 30);
  const expected = await fill(new Sink(stream, 1 << 16), 1 << 20);
  await new Promise((resolve) => stream.end(resolve));
  // Compared as a whole: uvu's diff of two megabyte strings would take minutes.
  assert.ok(Buffer.concat(copies).toString() === expected, 'the stream got every byte written, in order');
  assert.is(new Set(memory).size, memory.length);
});

test.run();
