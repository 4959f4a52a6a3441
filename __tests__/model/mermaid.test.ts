import { mermaidFlowchart } from '../../model/mermaid';

describe('mermaid flowchart', () => {
  it('draws one node per task and one edge per dependency, labelled when run_if is not ALL_SUCCESS', () => {
    expect(
      mermaidFlowchart([
        { key: 'finalize_failed', detail: 'sql/w/finalize.sql', dependsOn: ['extract', 'start'], runIf: 'AT_LEAST_ONE_FAILED' },
        { key: 'start', detail: 'sql/w/start.sql' },
        { key: 'extract', dependsOn: ['start'], runIf: 'ALL_SUCCESS' },
      ]),
    ).toBe(
      [
        'flowchart LR',
        '  extract["extract"]',
        '  finalize_failed["finalize_failed<br/><small>sql/w/finalize.sql</small>"]',
        '  start["start<br/><small>sql/w/start.sql</small>"]',
        '  start --> extract',
        '  extract -- AT_LEAST_ONE_FAILED --> finalize_failed',
        '  start -- AT_LEAST_ONE_FAILED --> finalize_failed',
      ].join('\n'),
    );
  });

  it('escapes quotes and makes node ids out of any task key', () => {
    expect(mermaidFlowchart([{ key: 'load-a', detail: 'say "hi"' }])).toBe('flowchart LR\n  load_a["load-a<br/><small>say #quot;hi#quot;</small>"]');
  });
});
