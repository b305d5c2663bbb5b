import { dailyParts, parseWeekly, weeklyParts, windowsOverlap } from '../../lib/policy/windows';

test('weekly windows parse to minutes of the week, wrapping past Saturday', () => {
  expect(parseWeekly('sun:05:00-sun:06:00')).toEqual({ start: 300, end: 360 });
  const w = parseWeekly('sat:23:00-sun:01:00');
  expect(w.end - w.start).toBe(120);
});

test('overlap is detected on any day and not reported for disjoint windows', () => {
  expect(windowsOverlap('wed:03:00-wed:04:00', '03:30-04:30')).toBe(true);
  expect(windowsOverlap('sun:05:00-sun:06:00', '03:00-04:00')).toBe(false);
  expect(windowsOverlap('sun:04:00-sun:05:00', '03:00-04:00')).toBe(false);
});

test('parts for platforms that take day + hour + duration', () => {
  expect(weeklyParts('tue:22:00-wed:01:00')).toEqual({ day: 'tue', startHour: 22, startMinute: 0, hours: 3 });
  expect(dailyParts('23:00-01:00')).toEqual({ startHour: 23, startMinute: 0, minutes: 120 });
});
