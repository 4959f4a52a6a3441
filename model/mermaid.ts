/**
 * Mermaid flowcharts of task graphs, so that reviewers look at a DAG instead of
 * reading job JSON. Pure: the same graph always renders the same text.
 */

export interface DiagramTask {
  readonly key: string;
  /** Second line of the node, e.g. the asset it runs. */
  readonly detail?: string;
  readonly dependsOn?: readonly string[];
  /** Shown on the edges into this task when it does not need every dependency to succeed. */
  readonly runIf?: string;
}

const NODE_ID = (key: string) => key.replace(/[^A-Za-z0-9_]/g, '_');
const LABEL = (text: string) => text.replace(/"/g, '#quot;');

export function mermaidFlowchart(tasks: readonly DiagramTask[]): string {
  const sorted = [...tasks].sort((a, b) => a.key.localeCompare(b.key));
  const lines = ['flowchart LR'];
  for (const task of sorted) {
    const label = task.detail ? `${task.key}<br/><small>${task.detail}</small>` : task.key;
    lines.push(`  ${NODE_ID(task.key)}["${LABEL(label)}"]`);
  }
  for (const task of sorted) {
    const edge = task.runIf && task.runIf !== 'ALL_SUCCESS' ? ` -- ${task.runIf} --> ` : ' --> ';
    for (const dependency of [...(task.dependsOn ?? [])].sort()) lines.push(`  ${NODE_ID(dependency)}${edge}${NODE_ID(task.key)}`);
  }
  return lines.join('\n');
}
