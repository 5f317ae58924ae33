/** A handle returned by {@link SimClock.setTimeout}. */
export interface SimTimer {
  cancel(): void;
}

/** Simulated time. Controllers, the kubelet and telemetry read time only through this. */
export interface SimClock {
  /** Simulated milliseconds since the Unix epoch. */
  now(): number;
  /** How many simulated seconds pass per real second. */
  readonly speed: number;
  /** Runs `callback` once `simMs` simulated milliseconds from now. */
  setTimeout(callback: () => void, simMs: number): SimTimer;
  /** Runs `callback` every `simMs` simulated milliseconds. */
  setInterval(callback: () => void, simMs: number): SimTimer;
  /** Cancels every pending timer. */
  stop(): void;
}

/** Simulated time as an RFC 3339 timestamp, the way Kubernetes writes times. */
export function isoTime(clock: SimClock): string {
  return new Date(clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A clock that runs at `speed` times real time, starting at the current real time. */
export class ScaledClock implements SimClock {
  private readonly realStart = performance.now();
  private readonly simStart: number;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(readonly speed = 1, startAt = Date.now()) {
    if (!(speed > 0) || !Number.isFinite(speed)) {
      throw new RangeError(`speed must be a positive number, got ${speed}`);
    }
    this.simStart = startAt;
  }

  now(): number {
    return this.simStart + (performance.now() - this.realStart) * this.speed;
  }

  setTimeout(callback: () => void, simMs: number): SimTimer {
    // Node caps timeouts at 2^31-1 ms; longer ones re-arm themselves.
    const realMs = Math.max(0, simMs / this.speed);
    const maxMs = 2 ** 31 - 1;
    const due = this.now() + simMs;
    let handle: NodeJS.Timeout;
    const arm = (ms: number) => {
      handle = setTimeout(() => {
        this.timers.delete(handle);
        const remaining = due - this.now();
        if (remaining > 1) arm(Math.min(remaining / this.speed, maxMs));
        else callback();
      }, Math.min(ms, maxMs));
      handle.unref?.();
      this.timers.add(handle);
    };
    arm(realMs);
    return {
      cancel: () => {
        clearTimeout(handle);
        this.timers.delete(handle);
      },
    };
  }

  setInterval(callback: () => void, simMs: number): SimTimer {
    const handle = setInterval(callback, Math.max(1, simMs / this.speed));
    handle.unref?.();
    this.timers.add(handle);
    return {
      cancel: () => {
        clearInterval(handle);
        this.timers.delete(handle);
      },
    };
  }

  stop(): void {
    for (const handle of this.timers) clearTimeout(handle);
    this.timers.clear();
  }
}

interface ManualTimer {
  due: number;
  seq: number;
  callback: () => void;
  every?: number;
  cancelled: boolean;
}

/** A clock that moves only when told to; for deterministic tests and offline simulation. */
export class ManualClock implements SimClock {
  readonly speed = 1;
  private current: number;
  private seq = 0;
  private timers: ManualTimer[] = [];

  constructor(startAt = Date.parse('2026-01-01T00:00:00Z')) {
    this.current = startAt;
  }

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => void, simMs: number): SimTimer {
    return this.add({ due: this.current + Math.max(0, simMs), seq: this.seq++, callback, cancelled: false });
  }

  setInterval(callback: () => void, simMs: number): SimTimer {
    const every = Math.max(1, simMs);
    return this.add({ due: this.current + every, seq: this.seq++, callback, every, cancelled: false });
  }

  private add(timer: ManualTimer): SimTimer {
    this.timers.push(timer);
    return { cancel: () => (timer.cancelled = true) };
  }

  /** Moves time forward by `ms`, firing due timers in order of due time. */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      this.timers = this.timers.filter(t => !t.cancelled);
      const next = this.timers.filter(t => t.due <= target).sort((a, b) => a.due - b.due || a.seq - b.seq)[0];
      if (!next) break;
      this.current = Math.max(this.current, next.due);
      if (next.every) next.due += next.every;
      else next.cancelled = true;
      next.callback();
    }
    this.current = target;
  }

  /** Number of timers still pending. */
  pending(): number {
    return this.timers.filter(t => !t.cancelled).length;
  }

  stop(): void {
    this.timers = [];
  }
}
