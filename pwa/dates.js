// dates.js: calendar dates as the API writes them ('YYYY-MM-DD'), each rule once for every
// screen: the date in a time zone (today), days later, the weekday. The server's are in
// server/fotfeste/wallclock.py.

// The date at `when` in a time zone (the account's), from the device's clock; a missing or
// unknown zone falls back to the device's own (en-CA writes dates exactly as 'YYYY-MM-DD').
export function dateIn(timeZone, when = new Date()) {
  const format = (zone) => new Intl.DateTimeFormat('en-CA', {
    timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit',
  }).format(when);
  try {
    return format(timeZone || undefined);
  } catch {
    return format(undefined);
  }
}

// Today's date in a time zone (the account's).
export function todayIn(timeZone) {
  return dateIn(timeZone);
}

export function addDays(isoDate, days) {
  const [y, m, d] = isoDate.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

// The weekday of a date as the API counts (Meeting Guide: 0 = Sunday … 6 = Saturday).
export function weekdayOf(isoDate) {
  const [y, m, d] = isoDate.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}
