import { ManualClock, ScaledClock } from './clock';

describe('ScaledClock', () => {
  it('runs simulated time at speed times real time', async () => {
    const clock = new ScaledClock(100, Date.parse('2026-01-01T00:00:00Z'));
    const start = clock.now();
    await new Promise(r => setTimeout(r, 50));
    const elapsed = clock.now() - start;
    expect(elapsed).toBeGreaterThanOrEqual(4500); // 50 ms real at 100x ≈ 5 simulated seconds
    expect(elapsed).toBeLessThan(30_000);
    clock.stop();
  });

  it('fires timers after their simulated delay', async () => {
    const clock = new ScaledClock(1000);
    const realStart = Date.now();
    await new Promise<void>(resolve => clock.setTimeout(resolve, 20_000)); // 20 simulated seconds
    const real = Date.now() - realStart;
    expect(real).toBeGreaterThanOrEqual(15);
    expect(real).toBeLessThan(1000);
    clock.stop();
  });

  it('cancels timers, and stop cancels all', async () => {
    const clock = new ScaledClock(1000);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('cancelled'), 1000).cancel();
    clock.setTimeout(() => fired.push('stopped'), 2000);
    clock.stop();
    await new Promise(r => setTimeout(r, 20));
    expect(fired).toEqual([]);
  });

  it('rejects a speed that is not positive', () => {
    expect(() => new ScaledClock(0)).toThrow('speed must be a positive number, got 0');
  });
});

describe('ManualClock', () => {
  it('fires timers in due order as time advances, intervals repeatedly', () => {
    const clock = new ManualClock(0);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push(`b@${clock.now()}`), 2000);
    clock.setTimeout(() => fired.push(`a@${clock.now()}`), 1000);
    clock.setInterval(() => fired.push(`tick@${clock.now()}`), 1500);
    clock.advance(3000);
    expect(fired).toEqual(['a@1000', 'tick@1500', 'b@2000', 'tick@3000']);
    expect(clock.now()).toBe(3000);
  });
});
