import type { JsonRule, JsonRuleHit } from '../json-rule';
import { quartzCronProblem, timeZoneProblem } from '../quartz-cron';

/** Every job schedule is a valid Quartz cron expression in a valid time zone. */
export const quartzSchedules: JsonRule = {
  id: 'quartz-schedules',
  description: 'Job schedules are valid Quartz cron expressions (6 or 7 fields, "?" in one day field, days 1-7) with a valid timezone_id.',
  source:
    'https://www.quartz-scheduler.org/documentation/quartz-2.3.0/tutorials/crontrigger.html; databricks/terraform-provider-databricks docs/resources/job.md (schedule: quartz_cron_expression, timezone_id: a Java timezone id)',
  check(stack) {
    const hits: JsonRuleHit[] = [];
    for (const job of stack.resources.filter((r) => r.type === 'databricks_job')) {
      const schedule = job.config.schedule as { quartz_cron_expression?: string; timezone_id?: string } | undefined;
      if (!schedule) continue;
      const name = String(job.config.name);
      const cron = typeof schedule.quartz_cron_expression === 'string' ? quartzCronProblem(schedule.quartz_cron_expression) : 'has no quartz_cron_expression';
      if (cron) hits.push({ address: job.address, message: `job ${name}: schedule ${cron}` });
      const zone = typeof schedule.timezone_id === 'string' ? timeZoneProblem(schedule.timezone_id) : 'has no timezone_id';
      if (zone) hits.push({ address: job.address, message: `job ${name}: schedule timezone_id ${zone}` });
    }
    return hits;
  },
};
