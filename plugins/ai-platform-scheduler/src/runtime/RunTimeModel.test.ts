import { RunTimeModel, runTimeAt, sizeBucket, type FinishedRun } from './RunTimeModel';
import { normalCdf, normalQuantile } from './quantiles';

const run = (over: Partial<FinishedRun>): FinishedRun => ({
  team: 'vision',
  kind: 'PyTorchJob',
  queue: 'training',
  gpus: 8,
  actualSeconds: 3600,
  ...over,
});

describe('RunTimeModel', () => {
  it.each([
    {
      name: 'takes a declaration at its word before the team has history',
      history: [],
      facts: { declaredSeconds: 1800 },
      source: 'declaration',
      p50: 1800,
    },
    {
      name: 'calibrates a team that declares half its real run time',
      history: Array.from({ length: 6 }, () => run({ declaredSeconds: 1000, actualSeconds: 2000 })),
      facts: { declaredSeconds: 1500 },
      source: 'calibrated-declaration',
      p50: 3000,
    },
    {
      name: "does not apply one team's habits to another",
      history: Array.from({ length: 6 }, () => run({ team: 'nlp', declaredSeconds: 1000, actualSeconds: 2000 })),
      facts: { declaredSeconds: 1500 },
      source: 'declaration',
      p50: 1500,
    },
    {
      name: 'predicts an undeclared workload from runs of the same team, kind, queue and size',
      history: [1000, 2000, 4000, 2000, 2000].map(actualSeconds => run({ actualSeconds })),
      facts: {},
      source: 'history',
      p50: 2000,
    },
    {
      name: 'falls back to team and kind when no run of that size finished',
      history: Array.from({ length: 5 }, () => run({ gpus: 1, actualSeconds: 600 })),
      facts: { gpus: 64 },
      source: 'history',
      p50: 600,
    },
    {
      name: 'falls back to the stated default without declaration or history',
      history: Array.from({ length: 4 }, () => run({ actualSeconds: 600 })),
      facts: {},
      source: 'fallback',
      p50: 3600,
    },
    {
      name: 'caps every quantile at max-exec-time',
      history: [],
      facts: { declaredSeconds: 7200, maxExecSeconds: 3000 },
      source: 'declaration',
      p50: 3000,
    },
  ])('$name', ({ history, facts, source, p50 }) => {
    const model = new RunTimeModel();
    history.forEach(r => model.record(r));
    const p = model.predict({ team: 'vision', kind: 'PyTorchJob', queue: 'training', gpus: 8, ...facts });
    expect(p.source).toBe(source);
    expect(p.p50).toBeCloseTo(p50, 6);
    expect(p.p10).toBeLessThanOrEqual(p.p50);
    expect(p.p90).toBeGreaterThanOrEqual(p.p50);
    // Kueue's max-exec-time, when set, caps the range.
    expect(p.p90).toBe(facts.maxExecSeconds ?? p.p90);
    expect(p.basis.length).toBeGreaterThan(10);
  });

  it('learns the spread: p10..p90 covers about 80 % of what the team really runs', () => {
    const model = new RunTimeModel();
    // Actual = declared × 2 × noise with log-sigma 0.4, noise spread evenly over its quantiles.
    const noise = (i: number) => Math.exp(0.4 * normalQuantile((i + 0.5) / 100));
    for (let i = 0; i < 100; i++)
      model.record(run({ declaredSeconds: 1000, actualSeconds: 2000 * noise((i * 37) % 100) }));
    const p = model.predict({ team: 'vision', queue: 'training', gpus: 8, declaredSeconds: 1000 });
    expect(p.p50).toBeGreaterThan(1900);
    expect(p.p50).toBeLessThan(2100);
    expect(p.sigma).toBeGreaterThan(0.35);
    expect(p.sigma).toBeLessThan(0.45);
    let inside = 0;
    for (let i = 0; i < 100; i++) {
      const actual = 2000 * noise((i * 53) % 100);
      if (actual >= p.p10 && actual <= p.p90) inside++;
    }
    expect(inside).toBeGreaterThanOrEqual(75);
    expect(inside).toBeLessThanOrEqual(85);
  });

  it('a service without a declaration or history of its kind is expected to keep running, not to end within the fallback', () => {
    const model = new RunTimeModel();
    const service = { team: 'serving', kind: 'LeaderWorkerSet', queue: 'serving', gpus: 16, serves: true };
    const p = model.predict(service);
    expect(p.p50).toBe(Infinity);
    expect(p.basis).toContain('keep running');
    expect(runTimeAt(p, 0.01, 36_000)).toBe(Infinity);
    // A declaration, or services of its kind that ended, say more.
    expect(model.predict({ ...service, declaredSeconds: 86_400 }).p50).toBe(86_400);
    for (let i = 0; i < 5; i++) model.record({ ...service, actualSeconds: 7200 });
    expect(model.predict(service).source).toBe('history');
    expect(model.predict(service).p50).toBeCloseTo(7200, 6);
    // Its max-exec-time still bounds it.
    expect(new RunTimeModel().predict({ ...service, maxExecSeconds: 3600 }).p90).toBe(3600);
  });

  it('forgets runs older than its window', () => {
    const model = new RunTimeModel({ window: 10 });
    for (let i = 0; i < 10; i++) model.record(run({ declaredSeconds: 100, actualSeconds: 400 }));
    for (let i = 0; i < 10; i++) model.record(run({ declaredSeconds: 100, actualSeconds: 100 }));
    expect(model.predict({ team: 'vision', queue: 'q', gpus: 1, declaredSeconds: 100 }).p50).toBeCloseTo(100, 6);
  });

  it('ignores runs that did not run', () => {
    const model = new RunTimeModel({ minHistory: 1 });
    model.record(run({ actualSeconds: 0 }));
    model.record(run({ actualSeconds: NaN }));
    expect(model.runs).toBe(0);
    expect(model.predict({ team: 'vision', kind: 'PyTorchJob', queue: 'training', gpus: 8 }).source).toBe('fallback');
  });
});

describe('runTimeAt', () => {
  const p = new RunTimeModel().predict({ queue: 'q', gpus: 1, declaredSeconds: 1000 });

  it('draws the median at u = 0.5 and the p90 at u = 0.9', () => {
    expect(runTimeAt(p, 0.5)).toBeCloseTo(1000, 3);
    expect(runTimeAt(p, 0.9)).toBeCloseTo(p.p90, 3);
  });

  it('a run already past its median is expected to last longer than it has run', () => {
    expect(runTimeAt(p, 0.5, 2000)).toBeGreaterThan(2000);
    expect(runTimeAt(p, 0.01, 2000)).toBeGreaterThanOrEqual(2000);
  });

  it('never draws past max-exec-time', () => {
    const capped = new RunTimeModel().predict({ queue: 'q', gpus: 1, declaredSeconds: 1000, maxExecSeconds: 1200 });
    expect(runTimeAt(capped, 0.99)).toBe(1200);
  });
});

describe('quantile functions', () => {
  it('normalQuantile inverts normalCdf', () => {
    for (const u of [0.01, 0.1, 0.5, 0.9, 0.99]) expect(normalCdf(normalQuantile(u))).toBeCloseTo(u, 5);
  });

  it('size buckets group powers of two', () => {
    expect([0, 1, 2, 3, 8, 9, 64].map(sizeBucket)).toEqual(['0', '1', '≤2', '≤4', '≤8', '≤16', '≤64']);
  });
});
