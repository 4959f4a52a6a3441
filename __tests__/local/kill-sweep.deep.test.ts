import { KillOutcome, KillPoint, notebookTasks, sqlKillPoints, sweptWorkflows, uninterrupted, killAndRerun } from './kill-sweep-harness';

/**
 * The real-kill sweep (npm run test:deep only): for every workflow, the real `npm run local`
 * process SIGKILLed after each statement of each SQL task that runs (before the first, between
 * any two, after the last), and each notebook task's python SIGKILLed in each of its file
 * operations (0..NOTEBOOK_OPERATIONS-1; past its last one the run is simply clean); after each,
 * a rerun of the same job run must succeed and end where an uninterrupted run ends. The counts
 * (points killed, recovered) are printed at the end.
 */
const NOTEBOOK_OPERATIONS = 8;
const outcomes: KillOutcome[] = [];

afterAll(() => {
  const killed = outcomes.filter((o) => o.killed);
  const recovered = killed.filter((o) => o.recovered);
  process.stdout.write(`kill sweep: ${killed.length} kill points hit, ${recovered.length} recovered (${outcomes.length} points tried)\n`);
});

describe.each(sweptWorkflows().map((w) => [w.name, w] as const))('%s', (name, workflow) => {
  const points: KillPoint[] = [
    ...sqlKillPoints(workflow),
    ...notebookTasks(workflow).flatMap((task) => Array.from({ length: NOTEBOOK_OPERATIONS }, (_v, after) => ({ workflow: name, task, kind: 'notebook' as const, after }))),
  ];
  let reference: Record<string, unknown>;
  beforeAll(async () => {
    reference = await uninterrupted(name);
  });

  it.each(points.map((p) => [`${p.task} ${p.kind} ${p.after}`, p] as const))('%s: killed there, the rerun ends where an uninterrupted run ends', async (_label, point) => {
    const outcome = await killAndRerun(point);
    outcomes.push(outcome);
    if (point.kind === 'sql') expect(outcome.killed).toBe(true);
    expect({ rerunStatus: outcome.rerunStatus, rerunError: outcome.rerunError }).toEqual({ rerunStatus: 0, rerunError: '' });
    expect(outcome.state).toEqual(reference);
    outcome.recovered = true;
  });
});
