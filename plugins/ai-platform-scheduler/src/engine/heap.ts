/** A binary min-heap under a comparator. */
export class Heap<T> {
  private items: T[] = [];

  constructor(private readonly less: (a: T, b: T) => boolean) {}

  get size() {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T) {
    const items = this.items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(items[i], items[parent])) break;
      [items[i], items[parent]] = [items[parent], items[i]];
      i = parent;
    }
  }

  pop(): T | undefined {
    const items = this.items;
    if (items.length === 0) return undefined;
    const top = items[0];
    const last = items.pop()!;
    if (items.length > 0) {
      items[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  private siftDown(start: number) {
    const items = this.items;
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let smallest = i;
      if (l < items.length && this.less(items[l], items[smallest])) smallest = l;
      if (r < items.length && this.less(items[r], items[smallest])) smallest = r;
      if (smallest === i) return;
      [items[i], items[smallest]] = [items[smallest], items[i]];
      i = smallest;
    }
  }

  /** Moves every item of `other` into this heap and empties `other` (linear time). */
  absorb(other: Heap<T>) {
    if (other.size === 0) return;
    if (this.items.length === 0) {
      [this.items, other.items] = [other.items, this.items];
      return;
    }
    for (const item of other.items) this.items.push(item);
    other.items = [];
    this.rebuild();
  }

  /** Restores the heap order after the comparator's answers changed (linear time). */
  rebuild() {
    for (let i = (this.items.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  values(): readonly T[] {
    return this.items;
  }

  clone(map: (item: T) => T): Heap<T> {
    const copy = new Heap(this.less);
    copy.items = this.items.map(map);
    return copy;
  }
}
