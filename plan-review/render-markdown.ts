import type { Finding } from './finding';
import type { PlanReview } from './review';

const show = (value: unknown) => (value === undefined ? '(none)' : `\`${typeof value === 'string' ? value : JSON.stringify(value)}\``.replace(/\|/g, '\\|'));

function findingLines(review: PlanReview, severity: Finding['severity']): string[] {
  return review.stacks.flatMap((s) => s.findings.filter((f) => f.severity === severity).map((f) => `- **${s.stack}** \`${f.address}\`: ${f.message} _(${f.rule})_`));
}

/** The review as a pull-request comment: destructive changes first, then data impact, then every change by stack. */
export function renderMarkdown(review: PlanReview): string {
  const lines = ['## Plan review', ''];
  const counts = review.stacks.map((s) => `\`${s.stack}\`: +${s.added.length} ~${s.changed.length} -${s.removed.length}`);
  if (review.verdict === 'no-change') return [...lines, 'No change in any environment.', ''].join('\n');
  lines.push(`${review.verdict === 'destructive' ? '**Destructive changes ahead.**' : 'Changes, none destructive.'} ${counts.join(' · ')}`, '');
  const destructive = findingLines(review, 'error');
  if (destructive.length > 0) lines.push('### Destructive changes', '', ...destructive, '');
  const impact = findingLines(review, 'warning');
  if (impact.length > 0) lines.push('### Data and operational impact', '', ...impact, '');
  for (const stack of review.stacks) {
    if (stack.added.length + stack.removed.length + stack.changed.length === 0) continue;
    lines.push(`### ${stack.stack}`, '');
    for (const r of stack.added) lines.push(`- added \`${r.address}\` (${r.path})`);
    for (const r of stack.removed) lines.push(`- removed \`${r.address}\` (${r.path})`);
    for (const r of stack.changed) {
      lines.push(`- changed \`${r.address}\` (${r.path})`);
      if (r.attributes.length > 0) {
        lines.push('', '  | attribute | before | after |', '  | --- | --- | --- |');
        for (const a of r.attributes) lines.push(`  | ${a.attribute} | ${show(a.before)} | ${show(a.after)} |`);
        lines.push('');
      }
    }
    for (const asset of stack.assetDiffs) lines.push('', `<details><summary>${asset.path}</summary>`, '', '```diff', asset.diff, '```', '', '</details>');
    lines.push('');
  }
  return lines.join('\n');
}
