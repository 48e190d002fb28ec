import type { LabelSelector, Labels } from '../model/types.js';
import { selectorMatches } from './selector.js';

/**
 * Items filed by each of their labels, so that a selector is tested only on the items that carry a label it
 * requires. A cluster at the Kubernetes limit has 10,000 namespaces and hundreds of distinct namespace selectors;
 * testing every namespace against each took a quarter of the engine's time on the huge benchmark profile.
 */
export class LabelIndex<T> {
  /** Label key, then value, then the indexes of the items with that label, ascending. */
  private readonly byLabel = new Map<string, Map<string, number[]>>();
  private readonly labels: Labels[];

  constructor(private readonly items: readonly T[], labelsOf: (item: T) => Labels) {
    this.labels = items.map(labelsOf);
    this.labels.forEach((labels, i) => {
      for (const key in labels) {
        let byValue = this.byLabel.get(key);
        if (!byValue) this.byLabel.set(key, (byValue = new Map()));
        const list = byValue.get(labels[key]);
        if (list) list.push(i);
        else byValue.set(labels[key], [i]);
      }
    });
  }

  /** The items the selector matches, in the order given. */
  matching(selector: LabelSelector): T[] {
    const candidates = this.candidates(selector);
    const out: T[] = [];
    if (candidates === undefined) {
      for (let i = 0; i < this.items.length; i++) if (selectorMatches(selector, this.labels[i])) out.push(this.items[i]);
    } else {
      for (const i of candidates) if (selectorMatches(selector, this.labels[i])) out.push(this.items[i]);
    }
    return out;
  }

  /**
   * The fewest items that can match: those with one of the label values a single term requires (a matchLabels
   * pair or an `In`), ascending. Undefined when no term requires a value (only NotIn, Exists, DoesNotExist).
   */
  private candidates(selector: LabelSelector): number[] | undefined {
    let best: number[] | undefined;
    const consider = (list: number[]) => {
      if (best === undefined || list.length < best.length) best = list;
    };
    for (const key in selector.matchLabels) consider(this.byLabel.get(key)?.get(selector.matchLabels[key]) ?? NONE);
    for (const r of selector.matchExpressions) {
      if (r.operator !== 'In') continue;
      const byValue = this.byLabel.get(r.key);
      const lists = [...new Set(r.values)].map((v) => byValue?.get(v) ?? NONE).filter((l) => l.length > 0);
      consider(lists.length === 1 ? lists[0] : lists.flat().sort((a, b) => a - b));
    }
    return best;
  }
}

const NONE: number[] = [];
