/**
 * YAML aliases make a document a graph: js-yaml shares the aliased object instead of copying it, so a
 * "billion laughs" file parses quickly but explodes in anything that walks it. This measures the size the
 * document would have once expanded, visiting each shared node once, and lets the loader refuse bombs.
 */
export const MAX_EXPANDED_NODES = 5_000_000;

export function expandedSize(root: unknown, limit = MAX_EXPANDED_NODES): number {
  const memo = new Map<object, number>();
  const size = (node: unknown): number => {
    if (node === null || typeof node !== 'object') return 1;
    const known = memo.get(node);
    if (known !== undefined) return known;
    memo.set(node, 1); // a cycle (possible with merge keys) counts once instead of recursing forever
    let total = 1;
    const children = Array.isArray(node) ? node : Object.values(node);
    for (const child of children) {
      total += size(child);
      if (total > limit) break;
    }
    memo.set(node, total);
    return total;
  };
  return size(root);
}
