/**
 * The CLI bundle is compiled by node:vm as a classic script (so that it can run from a code cache), and there
 * `import()` has no module loader behind it. The launcher hands one in as `netpolImport`, a parameter of the
 * function the bundle is wrapped in; unbundled code (tests, dist/) imports as usual.
 */
declare const netpolImport: ((specifier: string) => Promise<unknown>) | undefined;

export function importModule<T>(specifier: string): Promise<T> {
  return (typeof netpolImport === 'function' ? netpolImport(specifier) : import(specifier)) as Promise<T>;
}
