import type { Workload } from '../engine/types';
import { runTimeAt, type RunTimePrediction } from './RunTimeModel';
import { exponentialDraw, seededRandom } from '@ai-platform/backstage-plugin-ai-platform-common';

/** A workload that may arrive later, as a forward simulation sees it. */
export interface FutureArrival {
  /** ms */
  time: number;
  /** A copy of a recent workload of the queue, under a key of its own. */
  workload: Workload;
  /** ms it runs once admitted (drawn from its template's run-time prediction). */
  duration: number;
}

interface Seen {
  time: number;
  workload: Workload;
  runTime: RunTimePrediction;
}

/**
 * The recent arrivals of each LocalQueue (what any backend sees as workloads
 * are created), to draw the work that will arrive while a workload waits: a
 * forward simulation that assumed no new arrivals would miss later work of
 * higher priority, or another queue reclaiming its quota, and predict too
 * early. Each queue arrives as a Poisson process at its recent rate (its last
 * `perQueue` arrivals over the time since the oldest of them, so a queue gone
 * quiet fades), no further ahead than that span and at most `lookahead`
 * arrivals, each a copy of one of those recent workloads with a run time
 * drawn from that workload's prediction.
 */
export class ArrivalHistory {
  private readonly byQueue = new Map<string, Seen[]>();

  constructor(
    /** Recent arrivals kept per LocalQueue. */
    private readonly perQueue = 30,
    /** A queue needs this many arrivals before it is extrapolated. */
    private readonly minArrivals = 5,
    /** At most this many future arrivals per queue in one forward simulation (bounds its cost). */
    private readonly lookahead = perQueue,
  ) {}

  /** A workload was created at `time` (ms), with this run-time prediction. Any order; the oldest are forgotten. */
  record(workload: Workload, time: number, runTime: RunTimePrediction) {
    const queue = `${workload.namespace}/${workload.queue}`;
    let seen = this.byQueue.get(queue);
    if (!seen) this.byQueue.set(queue, (seen = []));
    // In time order, though a restarted backend may see its workloads in any order.
    let at = seen.length;
    while (at > 0 && seen[at - 1].time > time) at--;
    seen.splice(at, 0, { time, workload, runTime });
    if (seen.length > this.perQueue) seen.shift();
  }

  /**
   * Draws the arrivals after `now` for one forward simulation (`sample`),
   * lazily and in time order: call the result for the next one, undefined
   * when no queue has more. The same `now` and `sample` give the same draws.
   */
  future(now: number, sample: number): () => FutureArrival | undefined {
    const random = seededRandom(Math.imul(sample + 1, 0x9e3779b1) ^ Math.floor(now));
    const gap = (rate: number) => exponentialDraw(1 / rate, random);
    const streams: Array<{ seen: Seen[]; rate: number; next: number; left: number; until: number }> = [];
    for (const seen of this.byQueue.values()) {
      const span = now - seen[0].time;
      if (seen.length < this.minArrivals || !(span > 0)) continue;
      const rate = seen.length / span;
      // No further ahead than the span the rate was seen over.
      streams.push({ seen, rate, next: now + gap(rate), left: this.lookahead, until: now + span });
    }
    let n = 0;
    return () => {
      let first: (typeof streams)[number] | undefined;
      for (const s of streams) if (s.left > 0 && s.next <= s.until && (!first || s.next < first.next)) first = s;
      if (!first) return undefined;
      const template = first.seen[Math.floor(random() * first.seen.length)];
      const time = first.next;
      first.next += gap(first.rate);
      first.left--;
      const key = `${template.workload.key}~future-${sample}-${++n}`;
      return {
        time,
        workload: {
          ...template.workload,
          key,
          name: `${template.workload.name}~future-${sample}-${n}`,
          creationTime: time,
        },
        duration: 1000 * runTimeAt(template.runTime, random()),
      };
    };
  }
}
