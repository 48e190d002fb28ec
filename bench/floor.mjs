// Starts the parse-floor bundle (written by bench.ts) as bin/netpol starts the CLI.
import { exitWhenFlushed, loadBundle } from '../dist/cli/launch.js';

const { run } = loadBundle(new URL('out/parse-floor.cjs', import.meta.url).pathname).exports;
await exitWhenFlushed(await run(process.argv.slice(2)));
