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

test.run();
