// The floor of a run: read and parse the input with netpol's own loader, nothing else.
import { loadPaths } from '../dist/load/files.js';
const r = await loadPaths(process.argv.slice(2));
if (r.objects.length === 0) process.exitCode = 1;
