import { WaitCalibration } from './WaitCalibration';

describe('WaitCalibration', () => {
  it('passes predictions through until it has seen enough admissions', () => {
    const calibration = new WaitCalibration(500, 30);
    for (let i = 0; i < 29; i++) calibration.record(1000, 2000);
    expect(calibration.adjust(0, { p10: 500, p50: 1000, p90: 3000 })).toEqual({ p10: 500, p50: 1000, p90: 3000 });
  });

  it('widens the range to the spread of actual ÷ predicted waits it saw, around the predicted median', () => {
    const calibration = new WaitCalibration(500, 30);
    // Ratios 1.0, 1.1, ..., 2.0, evenly spread: p10 1.1, p50 1.5, p90 1.9 (nearest rank).
    for (let i = 0; i <= 100; i++) calibration.record(1000, 1000 * (1 + i / 100));
    const range = calibration.adjust(10_000, { p10: 11_900, p50: 12_000, p90: 12_100 });
    expect(range.p50).toBe(12_000);
    expect(range.p10).toBeCloseTo(10_000 + (2000 * 1.1) / 1.5, -1);
    expect(range.p90).toBeCloseTo(10_000 + (2000 * 1.9) / 1.5, -1);
  });

  it('does not move the median by what waits did one wait ago', () => {
    // Admitted workloads waited twice as long as predicted (a queue that was filling); the next median stays.
    const calibration = new WaitCalibration(500, 30);
    for (let i = 0; i < 30; i++) calibration.record(1000, 2000);
    expect(calibration.adjust(0, { p50: 1000 })).toEqual({ p10: 1000, p50: 1000, p90: 1000 });
  });

  it('keeps only its window of recent admissions', () => {
    const calibration = new WaitCalibration(40, 30);
    for (let i = 0; i < 40; i++) calibration.record(1000, 1000 * (0.5 + i / 20));
    for (let i = 0; i < 40; i++) calibration.record(1000, 1000);
    expect(calibration.adjust(0, { p50: 1000 })).toEqual({ p10: 1000, p50: 1000, p90: 1000 });
  });
});
