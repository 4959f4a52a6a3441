import { dependantsOf, findCycle, graphProblems, topologicalOrder } from '../../model/task-graph';

describe('task graph', () => {
  it('orders tasks so every dependency runs first, keeping declaration order among ready tasks', () => {
    const order = topologicalOrder([
      { key: 'report', dependsOn: ['gold_a', 'gold_b'] },
      { key: 'gold_b', dependsOn: ['silver'] },
      { key: 'ingest' },
      { key: 'gold_a', dependsOn: ['silver'] },
      { key: 'silver', dependsOn: ['ingest'] },
    ]).map((t) => t.key);
    expect(order).toEqual(['ingest', 'silver', 'gold_b', 'gold_a', 'report']);
  });

  it('names the tasks of a cycle in order', () => {
    expect(findCycle([{ key: 'a', dependsOn: ['c'] }, { key: 'b', dependsOn: ['a'] }, { key: 'c', dependsOn: ['b'] }])).toEqual(['a', 'c', 'b', 'a']);
    expect(() => topologicalOrder([{ key: 'a', dependsOn: ['b'] }, { key: 'b', dependsOn: ['a'] }], 'job x')).toThrow(
      'job x has a dependency cycle: a -> b -> a',
    );
  });

  it('reports unknown dependencies, duplicates, self-dependencies and empty graphs', () => {
    expect(graphProblems([])).toEqual(['has no tasks']);
    expect(graphProblems([{ key: 'a' }, { key: 'a' }])).toEqual(['declares task "a" more than once']);
    expect(graphProblems([{ key: 'a', dependsOn: ['ghost'] }])).toEqual(['task "a" depends on unknown task "ghost"']);
    expect(graphProblems([{ key: 'a', dependsOn: ['a'] }])).toEqual(['task "a" depends on itself']);
  });

  it('finds every transitive dependant of a task', () => {
    const nodes = [{ key: 'a' }, { key: 'b', dependsOn: ['a'] }, { key: 'c', dependsOn: ['b'] }, { key: 'd' }];
    expect([...dependantsOf(nodes, 'a')].sort()).toEqual(['b', 'c']);
    expect(dependantsOf(nodes, 'd').size).toBe(0);
  });
});
