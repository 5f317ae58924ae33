import { nextScheduleTime, parseCronSchedule, rfc3339In } from './cronSchedule';

const at = (iso: string) => Date.parse(iso);
const next = (schedule: string, after: string, zone?: string) =>
  new Date(nextScheduleTime(parseCronSchedule(schedule), at(after), zone)!).toISOString();

describe('CronJob schedules', () => {
  it.each([
    ['every minute runs at the next whole minute', '* * * * *', '2026-01-01T10:00:30Z', '2026-01-01T10:01:00.000Z'],
    ['a step runs at the next multiple', '*/15 * * * *', '2026-01-01T10:16:00Z', '2026-01-01T10:30:00.000Z'],
    ['a time already due is not returned again', '30 10 * * *', '2026-01-01T10:30:00Z', '2026-01-02T10:30:00.000Z'],
    ['@hourly is minute zero', '@hourly', '2026-01-01T10:59:59Z', '2026-01-01T11:00:00.000Z'],
    ['weekday names and ranges', '0 9 * * MON-FRI', '2026-01-02T10:00:00Z', '2026-01-05T09:00:00.000Z'],
    ['7 is Sunday', '0 0 * * 7', '2026-01-01T00:00:00Z', '2026-01-04T00:00:00.000Z'],
    ['month names skip to that month', '0 0 1 MAR *', '2026-01-15T00:00:00Z', '2026-03-01T00:00:00.000Z'],
    ['both day fields set: either matches', '0 0 13 * FRI', '2026-01-10T00:00:00Z', '2026-01-13T00:00:00.000Z'],
    ['February 29 waits for a leap year', '0 0 29 2 *', '2026-01-01T00:00:00Z', '2028-02-29T00:00:00.000Z'],
  ])('%s', (_, schedule, after, expected) => {
    expect(next(schedule, after)).toBe(expected);
  });

  it('reads the schedule on the wall clock of spec.timeZone', () => {
    // 09:00 in New York is 14:00 UTC in winter and 13:00 UTC in summer.
    expect(next('0 9 * * *', '2026-01-01T00:00:00Z', 'America/New_York')).toBe('2026-01-01T14:00:00.000Z');
    expect(next('0 9 * * *', '2026-07-01T00:00:00Z', 'America/New_York')).toBe('2026-07-01T13:00:00.000Z');
    expect(rfc3339In(at('2026-07-01T13:00:00Z'), 'America/New_York')).toBe('2026-07-01T09:00:00-04:00');
    expect(rfc3339In(at('2026-07-01T13:00:00Z'), 'UTC')).toBe('2026-07-01T13:00:00Z');
  });

  it.each([['* * * *'], ['61 * * * *'], ['* * * FOO *'], ['*/0 * * * *']])('rejects %s', schedule => {
    expect(() => parseCronSchedule(schedule)).toThrow();
  });
});
