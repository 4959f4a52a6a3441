import { KillPoint, killAndRerun, uninterrupted } from './kill-sweep-harness';

/**
 * The quick variant of the real-kill sweep (kill-sweep.deep.test.ts runs every point of every
 * workflow): the real `npm run local` process of ingest-orders killed (SIGKILL) in the middle of
 * its merge, and its archive notebook's python killed in the middle of a copy; each rerun of the
 * job run ends where an uninterrupted run ends.
 */
const POINTS: readonly KillPoint[] = [
  { workflow: 'ingest-orders', task: 'merge', kind: 'sql', after: 1 },
  { workflow: 'ingest-orders', task: 'archive', kind: 'notebook', after: 1 },
];

describe('kill -9 of the real local runner, then a rerun (quick points)', () => {
  let reference: Record<string, unknown>;
  beforeAll(async () => {
    reference = await uninterrupted('ingest-orders');
  });

  it.each(POINTS.map((p) => [`${p.task} ${p.kind} ${p.after}`, p] as const))('%s: killed there, the rerun ends where an uninterrupted run ends', async (_label, point) => {
    const outcome = await killAndRerun(point);
    expect({ killed: outcome.killed, rerunStatus: outcome.rerunStatus, rerunError: outcome.rerunError }).toEqual({ killed: true, rerunStatus: 0, rerunError: '' });
    expect(outcome.state).toEqual(reference);
  });
});
