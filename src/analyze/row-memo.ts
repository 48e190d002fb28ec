/**
 * Classes whose rows are bound to be equal, grouped once. A class's row follows from the rules around it (which
 * ingress rules name it as a peer, which policies select it for egress), not from the class itself: with a copy of
 * a policy in every namespace, classes that the copies tell apart are named by the same merged rules and reach the
 * same destinations (the large benchmark profile has 10,002 classes and 1,001 distinct rows).
 *
 * `hash` and `same` describe those inputs: equal inputs give equal rows, and `same` confirms what the hash groups.
 */
export class RowGroups {
  /** Per class, its group. */
  readonly groupOf: Int32Array;
  /** Per group, how many classes it has. */
  readonly sizes: Int32Array;

  constructor(count: number, hash: (n: number) => number, same: (a: number, b: number) => boolean) {
    this.groupOf = new Int32Array(count);
    const hashes = new Int32Array(count);
    for (let n = 0; n < count; n++) hashes[n] = hash(n);
    // An open-addressed table of groups by hash (first class + 1; 0 for a free slot), at most half full.
    let bits = 1;
    while (1 << bits < 2 * count) bits++;
    const mask = (1 << bits) - 1;
    const table = new Int32Array(mask + 1);
    const firstClass = new Int32Array(count);
    let groups = 0;
    for (let n = 0; n < count; n++) {
      const h = hashes[n];
      let slot = Math.imul(h, 0x9e3779b1) >>> (32 - bits);
      let group = -1;
      while (table[slot] !== 0) {
        const g = table[slot] - 1;
        if (hashes[firstClass[g]] === h && same(firstClass[g], n)) {
          group = g;
          break;
        }
        slot = (slot + 1) & mask;
      }
      if (group < 0) {
        group = groups++;
        firstClass[group] = n;
        table[slot] = group + 1;
      }
      this.groupOf[n] = group;
    }
    this.sizes = new Int32Array(groups);
    for (let n = 0; n < count; n++) this.sizes[this.groupOf[n]]++;
  }
}

/**
 * Rows made once per group of `RowGroups` and handed to every class of the group. A row is kept only until each
 * class of its group has asked once (a listing asks once per class), so nothing is kept for a class alone in its
 * group; a class that asks again gets its row made afresh. The groups are found at the first request, and callers
 * never modify a row.
 */
export class RowMemo<T> {
  private readonly rows: (T | undefined)[] = [];
  private groups?: RowGroups;
  /** Per group, the classes that have not asked yet. */
  private left = new Int32Array(0);

  constructor(private readonly groupsOf: () => RowGroups, private readonly make: (n: number) => T) {}

  get(n: number): T {
    if (this.groups === undefined) {
      this.groups = this.groupsOf();
      this.left = this.groups.sizes.slice();
    }
    const g = this.groups.groupOf[n];
    if (this.left[g] === 0) return this.make(n);
    const row = this.rows[g] ?? this.make(n);
    this.rows[g] = --this.left[g] === 0 ? undefined : row;
    return row;
  }
}
