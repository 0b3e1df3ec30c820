// Label indexes that keep selector matching linear in the size of the configuration.
// Without them, "which pods does each policy select" and "which services select each
// deployment" are scans of every object per object.
import {matchesLabels} from './selectors.js';

function pairKey(key: string, value: string): string {
  return `${key}\u0000${value}`;
}

/** Items carrying labels, answering "which items does this selector match". */
export class LabelledIndex<T> {
  private readonly all: T[] = [];
  private readonly byPair = new Map<string, T[]>();
  private readonly labelsOf = new Map<T, Record<string, string>>();

  add(item: T, labels: Record<string, string>): void {
    this.all.push(item);
    this.labelsOf.set(item, labels);
    for (const [key, value] of Object.entries(labels)) {
      const pair = pairKey(key, value);
      const list = this.byPair.get(pair);
      if (list) list.push(item);
      else this.byPair.set(pair, [item]);
    }
  }

  /**
   * Whether any item's labels hold every key/value of the selector (an empty selector matches
   * any item). Stops at the first match: a common label (`version: v1`) is carried by most items.
   */
  some(selector: Record<string, string>): boolean {
    let candidates = this.all;
    for (const [key, value] of Object.entries(selector)) {
      const list = this.byPair.get(pairKey(key, value)) ?? [];
      if (list.length < candidates.length) candidates = list;
    }
    return candidates.some((item) => matchesLabels(selector, this.labelsOf.get(item)));
  }
}

/**
 * Items carrying a selector (e.g. Services), answering "which items select these labels".
 * Each item is filed under one key/value of its selector, so a query only verifies items
 * whose anchor pair the labels contain. Items with an empty selector select nothing, as
 * a Kubernetes Service without a selector selects no pods.
 */
export class SelectorIndex<T> {
  private readonly byAnchor = new Map<string, {item: T; selector: Record<string, string>}[]>();

  add(item: T, selector: Record<string, string>): void {
    const anchor = Object.keys(selector).sort()[0];
    if (anchor === undefined) return;
    const pair = pairKey(anchor, selector[anchor] ?? '');
    const list = this.byAnchor.get(pair);
    if (list) list.push({item, selector});
    else this.byAnchor.set(pair, [{item, selector}]);
  }

  selecting(labels: Record<string, string>): T[] {
    const found: T[] = [];
    for (const [key, value] of Object.entries(labels)) {
      for (const entry of this.byAnchor.get(pairKey(key, value)) ?? []) {
        if (matchesLabels(entry.selector, labels)) found.push(entry.item);
      }
    }
    return found;
  }
}
