/** A parsed five-field cron schedule (minute hour day-of-month month day-of-week), as CronJob takes it. */
export interface CronSchedule {
  minutes: Set<number>;
  hours: Set<number>;
  days: Set<number>;
  months: Set<number>;
  weekdays: Set<number>;
  /** Cron's rule: when both day fields are restricted, a time matches if either does. */
  eitherDay: boolean;
}

const macros: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const monthNames = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const dayNames = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

function parseField(field: string, min: number, max: number, names: string[] = [], namesFrom = min): Set<number> {
  const value = (s: string) => {
    const named = names.indexOf(s.toUpperCase());
    const n = named >= 0 ? named + namesFrom : Number(s);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${s} is not between ${min} and ${max}`);
    return n;
  };
  const out = new Set<number>();
  for (const part of field.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new Error(`bad step in ${part}`);
    let from = min;
    let to = max;
    if (range !== '*' && range !== '?') {
      const [a, b] = range.split('-');
      from = value(a);
      if (b !== undefined) to = value(b);
      else to = stepText === undefined ? from : max;
    }
    for (let n = from; n <= to; n += step) out.add(n);
  }
  return out;
}

/** Parses a CronJob schedule; throws with a sentence when it cannot. */
export function parseCronSchedule(text: string): CronSchedule {
  const fields = (macros[text.trim()] ?? text).trim().split(/\s+/);
  if (fields.length !== 5) throw new Error(`expected exactly 5 fields, found ${fields.length}: ${text}`);
  const [minute, hour, dom, month, dow] = fields;
  const weekdays = parseField(dow, 0, 7, dayNames, 0);
  if (weekdays.delete(7)) weekdays.add(0);
  const restricted = (f: string) => !f.startsWith('*') && !f.startsWith('?');
  return {
    minutes: parseField(minute, 0, 59),
    hours: parseField(hour, 0, 23),
    days: parseField(dom, 1, 31),
    months: parseField(month, 1, 12, monthNames, 1),
    weekdays,
    eitherDay: restricted(dom) && restricted(dow),
  };
}

const minute = 60_000;

/** Milliseconds `zone`'s wall clock is ahead of UTC at `instant`. */
export function zoneOffset(instant: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find(p => p.type === type)!.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wall - Math.floor(instant / 1000) * 1000;
}

function dayMatches(s: CronSchedule, wall: Date): boolean {
  const dom = s.days.has(wall.getUTCDate());
  const dow = s.weekdays.has(wall.getUTCDay());
  return s.eitherDay ? dom || dow : dom && dow;
}

/**
 * The first scheduled time strictly after `after` (epoch ms), in the time
 * zone `zone` (IANA name; UTC by default), or undefined within five years.
 */
export function nextScheduleTime(s: CronSchedule, after: number, zone = 'UTC'): number | undefined {
  const offset = zoneOffset(after, zone);
  // Walk the zone's wall clock as if it were UTC, skipping whole months, days and hours that cannot match.
  const wall = new Date(Math.floor((after + offset) / minute) * minute + minute);
  const limit = wall.getTime() + 5 * 366 * 86_400_000;
  while (wall.getTime() < limit) {
    if (!s.months.has(wall.getUTCMonth() + 1)) {
      wall.setUTCMonth(wall.getUTCMonth() + 1, 1);
      wall.setUTCHours(0, 0, 0, 0);
    } else if (!dayMatches(s, wall)) {
      wall.setUTCDate(wall.getUTCDate() + 1);
      wall.setUTCHours(0, 0, 0, 0);
    } else if (!s.hours.has(wall.getUTCHours())) {
      wall.setUTCHours(wall.getUTCHours() + 1, 0, 0, 0);
    } else if (!s.minutes.has(wall.getUTCMinutes())) {
      wall.setUTCMinutes(wall.getUTCMinutes() + 1, 0, 0);
    } else {
      const guess = wall.getTime() - zoneOffset(wall.getTime(), zone);
      const instant = wall.getTime() - zoneOffset(guess, zone);
      if (instant > after) return instant;
      wall.setUTCMinutes(wall.getUTCMinutes() + 1, 0, 0);
    }
  }
  return undefined;
}

/** `instant` in RFC 3339 on `zone`'s wall clock, as Go formats it: `Z` when the offset is zero. */
export function rfc3339In(instant: number, zone: string): string {
  const offset = zoneOffset(instant, zone);
  const wall = new Date(Math.floor(instant / 1000) * 1000 + offset).toISOString().slice(0, 19);
  if (offset === 0) return `${wall}Z`;
  const minutes = Math.abs(offset) / minute;
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return `${wall}${offset < 0 ? '-' : '+'}${hh}:${mm}`;
}
