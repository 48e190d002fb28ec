import fs from 'node:fs';
import yaml from 'js-yaml';
import type { RawObject } from './types.js';

/**
 * Writes what was read from a cluster as one YAML `List`, the shape `kubectl get -o yaml` prints, so that the
 * same analysis can be repeated offline and attached to a bug report.
 */
export function saveAsList(file: string, objects: RawObject[]): void {
  const list = { apiVersion: 'v1', kind: 'List', items: objects.map((o) => o.body) };
  try {
    fs.writeFileSync(file, yaml.dump(list, { noRefs: true, lineWidth: -1 }));
  } catch (err) {
    throw new Error(`cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}
