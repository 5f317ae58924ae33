import { WaitCalibration } from './WaitCalibration';

describe('WaitCalibration', () => {
  it('passes predictions through until it has seen enough admissions', () => {
    const calibration = new WaitCalibration(500, 30);
    for (let i = 0; i < 29; i++) calibration.record(1000, 2000);
    expect(calibration.adjust(0, { p10: 500, p50: 1000, p90: 3000 })).toEqual({ p10: 500, p50: 1000, p90: 3000 });
  });

  it('learns that waits run 1.5 times longer than predicted, with the spread it saw', () => {
    const calibration = new WaitCalibration(500, 30);
    // Ratios 1.0, 1.1, ..., 2.0, evenly spread: p10 1.1, p50 1.5, p90 1.9 (nearest rank).
    for (let i = 0; i <= 100; i++) calibration.record(1000, 1000 * (1 + i / 100));
    const range = calibration.adjust(10_000, { p50: 12_000 });
    expect(range.p50).toBeCloseTo(13_000, -1);
    expect(range.p10).toBeCloseTo(12_200, -1);
    expect(range.p90).toBeCloseTo(13_800, -1);
  });

  it('keeps only its window of recent admissions', () => {
    const calibration = new WaitCalibration(40, 30);
    for (let i = 0; i < 40; i++) calibration.record(1000, 3000);
    for (let i = 0; i < 40; i++) calibration.record(1000, 1000);
    expect(calibration.adjust(0, { p50: 1000 }).p50).toBe(1000);
  });
});
