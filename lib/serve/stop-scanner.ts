/**
 * Streams text while watching for stop strings: text that might be the start of a stop string is
 * held back until it is decided, so a stop string never leaks into the output.
 */
export class StopScanner {
  private pending = "";
  stopped = false;

  constructor(private readonly stops: readonly string[]) {}

  /** Adds text; returns what can be emitted now. After a stop, returns "" forever. */
  push(text: string): string {
    if (this.stopped) return "";
    this.pending += text;
    let cut = -1;
    for (const stop of this.stops) {
      const at = this.pending.indexOf(stop);
      if (at !== -1 && (cut === -1 || at < cut)) cut = at;
    }
    if (cut !== -1) {
      this.stopped = true;
      const out = this.pending.slice(0, cut);
      this.pending = "";
      return out;
    }
    const hold = this.heldSuffixLength();
    const out = this.pending.slice(0, this.pending.length - hold);
    this.pending = this.pending.slice(this.pending.length - hold);
    return out;
  }

  /** The end of generation: whatever was held is plain text after all. */
  flush(): string {
    const out = this.stopped ? "" : this.pending;
    this.pending = "";
    return out;
  }

  /** Length of the longest suffix of `pending` that is a proper prefix of some stop string. */
  private heldSuffixLength(): number {
    let best = 0;
    for (const stop of this.stops) {
      for (let n = Math.min(stop.length - 1, this.pending.length); n > best; n--) {
        if (this.pending.endsWith(stop.slice(0, n))) {
          best = n;
          break;
        }
      }
    }
    return best;
  }
}
