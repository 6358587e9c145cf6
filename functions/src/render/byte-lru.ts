/**
 * A least-recently-used map bounded by bytes and by entries: the one eviction policy of
 * every cache in certforge (compiled templates, preview backgrounds and static previews in
 * the Renderer; Storage templates in the TemplateStore). Each cache states its budget
 * where it is created; docs/security.md lists them.
 */
export class ByteLru<K, V> {
  private readonly map = new Map<K, { value: V; bytes: number }>();
  private total = 0;

  constructor(
    /** Most bytes held; a single larger value is not kept at all. */
    readonly maxBytes: number,
    /** Most entries held. */
    readonly maxEntries: number,
    /** Called for every value that leaves the cache (evicted, replaced or deleted). */
    private readonly onEvict: (key: K, value: V) => void = () => {},
  ) {}

  /** The value, marked as just used. */
  get(key: K): V | undefined {
    const entry = this.map.get(key);
    if (!entry) return undefined;
    this.map.delete(key);
    this.map.set(key, entry);
    return entry.value;
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  /** Stores `value` (counted as `bytes`) and evicts the least recently used entries beyond the budget. */
  set(key: K, value: V, bytes: number): void {
    this.delete(key);
    this.map.set(key, { value, bytes });
    this.total += bytes;
    for (const [oldest, entry] of this.map) {
      if (this.total <= this.maxBytes && this.map.size <= this.maxEntries) break;
      this.map.delete(oldest);
      this.total -= entry.bytes;
      this.onEvict(oldest, entry.value);
    }
  }

  delete(key: K): boolean {
    const entry = this.map.get(key);
    if (!entry) return false;
    this.map.delete(key);
    this.total -= entry.bytes;
    this.onEvict(key, entry.value);
    return true;
  }

  /** Deletes every entry whose key matches. */
  deleteWhere(match: (key: K) => boolean): void {
    for (const key of [...this.map.keys()]) if (match(key)) this.delete(key);
  }

  get bytes(): number {
    return this.total;
  }

  get size(): number {
    return this.map.size;
  }
}
