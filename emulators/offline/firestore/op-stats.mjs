/**
 * What the stand-in counts of its traffic (GET /certforge/v1/stats, DELETE to reset), for the
 * capacity bench (test/bench/capacity.ts): document reads and writes per collection path (ids
 * as `*`: `events/*\/speakers/*`), and the most writes any one document took within one second
 * and within ten (÷ 10: its sustained rate; Firestore sustains about one write per second per
 * document). Reads are the
 * documents returned by gets and queries (aggregations are not counted); writes are the
 * documents a commit or batch write changed.
 */
export class OpStats {
  constructor() {
    this.reset();
  }

  reset() {
    this.since = new Date();
    /** @type {Map<string, { reads: number, writes: number }>} */
    this.collections = new Map();
    /** Per document: the second of its last write, writes in it, the most in any second. */
    this.documents = new Map();
  }

  /** `projects/p/databases/d/documents/events/E/speakers/S` → `events/*\/speakers/*`. */
  static pattern(path) {
    const rest = String(path).split('/documents/')[1] ?? String(path);
    return rest
      .split('/')
      .map((segment, i) => (i % 2 === 1 ? '*' : segment))
      .join('/');
  }

  entry(path) {
    const key = OpStats.pattern(path);
    let entry = this.collections.get(key);
    if (!entry) this.collections.set(key, (entry = { reads: 0, writes: 0 }));
    return entry;
  }

  read(path) {
    this.entry(path).reads++;
  }

  write(path, now = Date.now()) {
    this.entry(path).writes++;
    let doc = this.documents.get(path);
    if (!doc) this.documents.set(path, (doc = WINDOWS.map(() => ({ window: -1, count: 0, max: 0 }))));
    WINDOWS.forEach((seconds, i) => {
      const window = Math.floor(now / (seconds * 1000));
      const w = doc[i];
      if (w.window !== window) Object.assign(w, { window, count: 0 });
      w.max = Math.max(w.max, ++w.count);
    });
  }

  toJSON() {
    let hottest = { path: null, writesInOneSecond: 0, writesPerSecondOver10s: 0 };
    const byPattern = new Map();
    for (const [path, [one, ten]] of this.documents) {
      const sustained = ten.max / 10;
      if (sustained > hottest.writesPerSecondOver10s || (sustained === hottest.writesPerSecondOver10s && one.max > hottest.writesInOneSecond))
        hottest = { path, writesInOneSecond: one.max, writesPerSecondOver10s: sustained };
      const key = OpStats.pattern(path);
      const seen = byPattern.get(key) ?? { one: 0, ten: 0 };
      byPattern.set(key, { one: Math.max(seen.one, one.max), ten: Math.max(seen.ten, sustained) });
    }
    return {
      since: this.since.toISOString(),
      collections: Object.fromEntries(
        [...this.collections].map(([key, v]) => [
          key,
          {
            ...v,
            maxWritesPerDocumentSecond: byPattern.get(key)?.one ?? 0,
            maxWritesPerDocumentSecondOver10s: byPattern.get(key)?.ten ?? 0,
          },
        ]),
      ),
      hottest,
    };
  }
}

/** Windows, in seconds, over which each document's writes are counted (fixed, aligned to the clock). */
const WINDOWS = [1, 10];
