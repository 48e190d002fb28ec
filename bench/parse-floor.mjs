// The floor of a run: read and parse the input with netpol's own loader, nothing else. Bundled and started by
// bench/floor.mjs the way bin/netpol starts the CLI (CommonJS bundle with a code cache).
import { loadPaths } from '../dist/load/files.js';

export async function run(paths) {
  const r = await loadPaths(paths);
  return r.objects.length === 0 ? 1 : 0;
}
