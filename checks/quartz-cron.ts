import { Cron } from 'croner';

/**
 * Quartz cron expressions as Databricks job schedules take them: `sec min hour
 * day-of-month month day-of-week [year]`, with `?` in exactly one of the two day fields
 * and days of the week numbered 1-7 from Sunday. croner parses the fields (ranges, steps,
 * L, W, #) once the day-of-week numbers are moved to its 0-6 numbering.
 * https://www.quartz-scheduler.org/documentation/quartz-2.3.0/tutorials/crontrigger.html
 */
/** The last value of each field in croner's numbering: seconds, minutes, hours, day of month, month, day of week (0-6), year. */
const FIELD_ENDS = [59, 59, 23, 31, 12, 6, 2099];

export function quartzCronProblem(expression: string): string | undefined {
  const fields = expression.trim().split(/\s+/);
  if (fields.length < 6 || fields.length > 7) return `"${expression}" has ${fields.length} fields; Quartz takes 6 or 7 (seconds minutes hours day-of-month month day-of-week [year])`;
  const [, , , dayOfMonth, , dayOfWeek] = fields;
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) {
    return `"${expression}": exactly one of day-of-month (${dayOfMonth}) and day-of-week (${dayOfWeek}) must be "?" in Quartz`;
  }
  const numbers = [...dayOfWeek.matchAll(/\d+/g)].map((m) => Number(m[0]));
  const hashIndex = dayOfWeek.indexOf('#');
  const dayNumbers = hashIndex === -1 ? numbers : [...dayOfWeek.slice(0, hashIndex).matchAll(/\d+/g)].map((m) => Number(m[0]));
  if (!/\//.test(dayOfWeek) && dayNumbers.some((n) => n < 1 || n > 7)) return `"${expression}": day-of-week numbers run from 1 (Sunday) to 7 (Saturday) in Quartz`;
  const cronerDayOfWeek = dayOfWeek.replace(/(^|[,-])(\d+)/g, (_m, sep: string, n: string) => `${sep}${Number(n) - 1}`);
  // Quartz's `start/step` runs from start to the field's end; croner spells that `start-end/step`
  const cronerFields = [...fields.slice(0, 5), cronerDayOfWeek, ...fields.slice(6)].map((field, i) =>
    field.replace(/(^|,)(\d+)\/(\d+)/g, (_m, sep: string, start: string, step: string) => `${sep}${start}-${FIELD_ENDS[i]}/${step}`),
  );
  try {
    new Cron(cronerFields.join(' '), { paused: true, timezone: 'UTC' }).stop();
  } catch (error) {
    return `"${expression}" is not a valid Quartz cron expression: ${error instanceof Error ? error.message.replace(/^CronPattern: /, '') : String(error)}`;
  }
  return undefined;
}

/**
 * A Java time zone id as Databricks takes for `timezone_id` (IANA names such as
 * `Europe/Amsterdam`, and `UTC`); checked against the runtime's time zone database.
 */
export function timeZoneProblem(zone: string): string | undefined {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return undefined;
  } catch {
    return `"${zone}" is not a time zone id (e.g. UTC, Europe/Amsterdam)`;
  }
}
