/** Time-window arithmetic for snapshot (daily) and maintenance (weekly) windows, all UTC. */

export const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Day = (typeof DAYS)[number];
const WEEK = 7 * 24 * 60;

/** A half-open interval in minutes since Sunday 00:00 UTC; `end` may exceed a week when it wraps. */
export interface Interval {
  start: number;
  end: number;
}

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

/** "sun:05:00-sun:06:00" -> one interval in minutes of the week. */
export function parseWeekly(window: string): Interval {
  const [from, to] = window.split('-');
  const [d1, ...t1] = from.split(':');
  const [d2, ...t2] = to.split(':');
  const start = DAYS.indexOf(d1 as Day) * 1440 + minutes(t1.join(':'));
  let end = DAYS.indexOf(d2 as Day) * 1440 + minutes(t2.join(':'));
  if (end <= start) end += WEEK;
  return { start, end };
}

/** "03:00-04:00" -> seven intervals, one a day. */
export function parseDaily(window: string): Interval[] {
  const [from, to] = window.split('-');
  const s = minutes(from);
  let e = minutes(to);
  if (e <= s) e += 1440;
  return DAYS.map((_, i) => ({ start: i * 1440 + s, end: i * 1440 + e }));
}

export function durationMinutes(i: Interval): number {
  return i.end - i.start;
}

function overlaps(a: Interval, b: Interval): boolean {
  // Compare on the week circle: shift b by -1, 0, +1 weeks.
  return [-WEEK, 0, WEEK].some((shift) => a.start < b.end + shift && b.start + shift < a.end);
}

/** True when the weekly maintenance window overlaps any day's snapshot window. */
export function windowsOverlap(maintenance: string, snapshot: string): boolean {
  const m = parseWeekly(maintenance);
  return parseDaily(snapshot).some((s) => overlaps(m, s));
}

/** Split a weekly window into its parts for platforms that want day + start hour + duration. */
export function weeklyParts(window: string): {
  day: Day;
  startHour: number;
  startMinute: number;
  hours: number;
} {
  const i = parseWeekly(window);
  const dayIndex = Math.floor(i.start / 1440) % 7;
  return {
    day: DAYS[dayIndex],
    startHour: Math.floor((i.start % 1440) / 60),
    startMinute: i.start % 60,
    hours: Math.max(1, Math.ceil(durationMinutes(i) / 60)),
  };
}

/** Start hour and duration of the daily snapshot window. */
export function dailyParts(window: string): { startHour: number; startMinute: number; minutes: number } {
  const [first] = parseDaily(window);
  return {
    startHour: Math.floor(first.start / 60),
    startMinute: first.start % 60,
    minutes: durationMinutes(first),
  };
}
