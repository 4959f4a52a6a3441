import { InvalidInputError } from './errors';

/**
 * The dependency graph of a set of tasks, checked and ordered. Used by the job
 * constructs (validation at synth) and the local runner (execution order).
 */

export interface GraphNode {
  readonly key: string;
  readonly dependsOn?: readonly string[];
}

export class TaskGraphError extends InvalidInputError {
  constructor(message: string) {
    super(message);
    this.name = 'TaskGraphError';
  }
}

/** Problems that make the graph unusable, each a full sentence naming the task(s). */
export function graphProblems(nodes: readonly GraphNode[]): string[] {
  const problems: string[] = [];
  if (nodes.length === 0) problems.push('has no tasks');
  const keys = new Set<string>();
  for (const node of nodes) {
    if (keys.has(node.key)) problems.push(`declares task "${node.key}" more than once`);
    keys.add(node.key);
  }
  for (const node of nodes) {
    for (const dep of node.dependsOn ?? []) {
      if (!keys.has(dep)) problems.push(`task "${node.key}" depends on unknown task "${dep}"`);
      if (dep === node.key) problems.push(`task "${node.key}" depends on itself`);
    }
  }
  const cycle = findCycle(nodes);
  if (cycle && cycle.length > 2) problems.push(`has a dependency cycle: ${cycle.join(' -> ')}`);
  return problems;
}

/** A cycle as `[a, b, …, a]`, or undefined. Unknown dependencies are ignored here. */
export function findCycle(nodes: readonly GraphNode[]): string[] | undefined {
  const byKey = new Map(nodes.map((n) => [n.key, n]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (key: string): string[] | undefined => {
    if (state.get(key) === 'done') return undefined;
    if (state.get(key) === 'visiting') return [...stack.slice(stack.indexOf(key)), key];
    state.set(key, 'visiting');
    stack.push(key);
    for (const dep of [...(byKey.get(key)?.dependsOn ?? [])].sort()) {
      if (!byKey.has(dep)) continue;
      const cycle = visit(dep);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(key, 'done');
    return undefined;
  };
  for (const key of [...byKey.keys()].sort()) {
    const cycle = visit(key);
    if (cycle) return cycle;
  }
  return undefined;
}

/**
 * Tasks in an order every dependency allows; among tasks ready at the same time, the
 * declaration order wins, so the result is stable. Throws TaskGraphError on a bad graph.
 */
export function topologicalOrder<T extends GraphNode>(nodes: readonly T[], name = 'workflow'): T[] {
  const problems = graphProblems(nodes);
  if (problems.length > 0) throw new TaskGraphError(`${name} ${problems.join('; ')}`);
  const remaining = new Map(nodes.map((n) => [n.key, new Set(n.dependsOn ?? [])]));
  const ordered: T[] = [];
  while (ordered.length < nodes.length) {
    const ready = nodes.filter((n) => remaining.has(n.key) && remaining.get(n.key)!.size === 0);
    for (const node of ready) {
      remaining.delete(node.key);
      ordered.push(node);
    }
    for (const deps of remaining.values()) ready.forEach((n) => deps.delete(n.key));
  }
  return ordered;
}

/** Every task that transitively depends on `key`. */
export function dependantsOf(nodes: readonly GraphNode[], key: string): Set<string> {
  const result = new Set<string>();
  let frontier = [key];
  while (frontier.length > 0) {
    const next = nodes.filter((n) => !result.has(n.key) && (n.dependsOn ?? []).some((d) => frontier.includes(d))).map((n) => n.key);
    next.forEach((k) => result.add(k));
    frontier = next;
  }
  return result;
}
