import { Engine } from '../engine/Engine';
import { Heap } from '../engine/heap';
import type { Admission, Decision, Workload } from '../engine/types';

type EventBody =
  | { time: number; kind: 'arrival'; workload: Workload; admission?: Admission }
  | { time: number; kind: 'change'; apply: () => void }
  | { time: number; kind: 'finish' | 'podsReady'; key: string; admission: number }
  | { time: number; kind: 'wakeup' };
type TimedEvent = EventBody & { seq: number };

export interface RunTimes {
  /** Milliseconds the workload runs once admitted. */
  duration(key: string): number;
  /** Milliseconds after admission until its pods are ready; undefined = never. Default 0. */
  podsReadyAfter?(key: string): number | undefined;
}

/**
 * A discrete-event loop around the engine: arrivals, completions and timers
 * in virtual time, one scheduling pass per instant. Used by the simulator CLI,
 * the benchmarks and the ETA estimate.
 */
export class Simulation {
  private readonly events = new Heap<TimedEvent>((a, b) => a.time < b.time || (a.time === b.time && a.seq < b.seq));
  private seq = 0;
  /** Counts admissions per workload so a finish scheduled before a preemption is ignored. */
  private readonly admissions = new Map<string, number>();
  now = 0;

  constructor(
    readonly engine: Engine,
    private readonly times: RunTimes,
    private readonly onDecision: (time: number, decision: Decision) => void = () => {},
    private readonly onFinish: (time: number, key: string) => void = () => {},
  ) {}

  private push(event: EventBody) {
    this.events.push({ ...event, seq: this.seq++ });
  }

  /** A workload arrives at `time`; with an admission, it arrives already admitted (seeded). */
  arrive(time: number, workload: Workload, admission?: Admission) {
    this.push({ time, kind: 'arrival', workload, admission });
  }

  /** Runs `apply` (e.g. a queue configuration change) at `time`, before that instant's scheduling pass. */
  at(time: number, apply: () => void) {
    this.push({ time, kind: 'change', apply });
  }

  /**
   * An elastic workload asks for new pod counts at `time`: an admitted one is
   * resized (engine.resize; a shrink is reported at once as an admission that
   * replaced the larger one), a pending one is queued again at the new size.
   */
  resizeAt(time: number, key: string, counts: Record<string, number>) {
    this.at(time, () => {
      const state = this.engine.get(key);
      if (state?.status === 'admitted') {
        const replaced = state.admission!;
        if (this.engine.resize(key, counts) !== 'ScaledDown') return;
        const { clusterQueue, admission } = this.engine.get(key)!;
        const usage = this.engine.usage().find(u => u.clusterQueue === clusterQueue);
        this.onDecision(time, {
          type: 'Admitted',
          workload: key,
          clusterQueue: clusterQueue!,
          admission: admission!,
          borrowing: usage?.resources.some(r => r.borrowed > 0) ?? false,
          replaced,
        });
      } else if (state?.status === 'pending') {
        const w = state.workload;
        this.engine.remove(key, 'deleted');
        this.engine.submit({ ...w, podSets: w.podSets.map(ps => ({ ...ps, count: counts[ps.name] })) });
      }
    });
  }

  /** Holds an instant (a scheduling pass) at `time` even if nothing else happens then. */
  wakeAt(time: number) {
    this.push({ time, kind: 'wakeup' });
  }

  /** Expects an already admitted workload (e.g. from a cloned engine) to finish at `time`. */
  expectFinish(key: string, time: number) {
    const admission = (this.admissions.get(key) ?? 0) + 1;
    this.admissions.set(key, admission);
    this.push({ time, kind: 'finish', key, admission });
  }

  /** Reports an admission and expects the workload to finish (and its pods to be ready) after its run time. */
  private started(time: number, decision: Extract<Decision, { type: 'Admitted' }>) {
    this.onDecision(time, decision);
    const key = decision.workload;
    const admission = (this.admissions.get(key) ?? 0) + 1;
    this.admissions.set(key, admission);
    this.push({ time: time + this.times.duration(key), kind: 'finish', key, admission });
    const ready = this.times.podsReadyAfter ? this.times.podsReadyAfter(key) : 0;
    // Ready at once: no instant of its own, whose scheduling pass would find nothing changed, unless
    // waitForPodsReady.blockAdmission stopped this pass at the workload, which a pass now lets through.
    const blocking = this.engine.options.waitForPodsReady.enable && this.engine.options.waitForPodsReady.blockAdmission;
    if (ready === 0 && !blocking) this.engine.podsReady(key);
    else if (ready !== undefined) this.push({ time: time + ready, kind: 'podsReady', key, admission });
  }

  /** Runs until no event is left or `until` (ms) is reached, or `stop()` says so after an instant. */
  run(until = Infinity, stop?: () => boolean) {
    let wakeup: number | undefined;
    while (this.events.size > 0) {
      const time = this.events.peek()!.time;
      if (time > until) break;
      this.now = time;
      while (this.events.size > 0 && this.events.peek()!.time === time) {
        const event = this.events.pop()!;
        if (event.kind === 'arrival' && event.admission) {
          this.engine.restoreAdmitted(event.workload, event.admission, time);
          this.started(time, {
            type: 'Admitted',
            workload: event.workload.key,
            clusterQueue: event.admission.clusterQueue,
            admission: event.admission,
            borrowing: false,
          });
        } else if (event.kind === 'arrival') {
          this.engine.submit(event.workload);
        } else if (event.kind === 'change') {
          event.apply();
        } else if (event.kind === 'finish' || event.kind === 'podsReady') {
          const state = this.engine.get(event.key);
          if (!state || state.status !== 'admitted' || this.admissions.get(event.key) !== event.admission) continue;
          if (event.kind === 'podsReady') {
            this.engine.podsReady(event.key);
          } else {
            this.engine.remove(event.key);
            this.onFinish(time, event.key);
          }
        }
      }
      for (const decision of this.engine.schedule(time)) {
        // A grown workload slice replaces a running one: its pods keep running, so its run time goes on.
        if (decision.type === 'Admitted' && !decision.replaced) this.started(time, decision);
        else this.onDecision(time, decision);
      }
      const next = this.engine.nextWakeup();
      if (next !== undefined && next > time && next !== wakeup) {
        wakeup = next;
        this.push({ time: next, kind: 'wakeup' });
      }
      if (stop?.()) break;
    }
  }
}
