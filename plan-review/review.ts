import { createTwoFilesPatch } from 'diff';
import { Finding, RuleFinding } from './finding';
import { assetText } from './rules/asset-content';
import { REVIEW_RULES } from './rules/index';
import { AttributeChange, ResourceChange, diffStack } from './stack-diff';
import type { SynthStack } from './synth-output';

export { REVIEW_RULES } from './rules/index';

export interface StackReview {
  readonly stack: string;
  readonly added: readonly { address: string; path: string }[];
  readonly removed: readonly { address: string; path: string }[];
  readonly changed: readonly { address: string; path: string; attributes: readonly AttributeChange[] }[];
  /** Unified diffs of changed SQL files and notebooks, instead of their base64. */
  readonly assetDiffs: readonly { address: string; path: string; diff: string }[];
  readonly findings: readonly Finding[];
}

export type Verdict = 'no-change' | 'change' | 'destructive';

export interface PlanReview {
  readonly verdict: Verdict;
  readonly stacks: readonly StackReview[];
}

const MAX_DIFF_LINES = 60;

function assetDiff(path: string, before: string, after: string): string {
  const lines = createTwoFilesPatch(`a${path}`, `b${path}`, before, after, '', '', { context: 2 }).split('\n').slice(2);
  return lines.length > MAX_DIFF_LINES ? [...lines.slice(0, MAX_DIFF_LINES), `… ${lines.length - MAX_DIFF_LINES} more lines`].join('\n') : lines.join('\n').trimEnd();
}

/** A rule's finding at the declaration of its resource: in the head, or in the base when the change removes it. */
function located(finding: RuleFinding, changes: readonly ResourceChange[]): Finding {
  const resource = changes
    .map((c) => (c.kind === 'changed' ? c.after : c.resource))
    .find((r) => r.address === finding.address);
  return { ...finding, file: resource?.file ?? '(synth output)', line: resource?.line ?? 1, column: 1 };
}

/** Reviews the change from one synth output to another, stack by stack. */
export function reviewPlans(base: ReadonlyMap<string, SynthStack>, head: ReadonlyMap<string, SynthStack>): PlanReview {
  const names = [...new Set([...base.keys(), ...head.keys()])].sort();
  const stacks = names.map((stack): StackReview => {
    const changes = diffStack(base.get(stack) ?? new Map(), head.get(stack) ?? new Map());
    const assetDiffs = changes.flatMap((c) => {
      if (c.kind !== 'changed') return [];
      const before = assetText(c.before.config);
      const after = assetText(c.after.config);
      return before !== undefined && after !== undefined && before !== after ? [{ address: c.after.address, path: String(c.after.config.path), diff: assetDiff(String(c.after.config.path), before, after) }] : [];
    });
    const findings = REVIEW_RULES.flatMap((rule) => rule.review(changes)).map((finding) => located(finding, changes));
    const order = { error: 0, warning: 1, info: 2 };
    return {
      stack,
      added: changes.flatMap((c) => (c.kind === 'added' ? [{ address: c.resource.address, path: c.resource.path }] : [])),
      removed: changes.flatMap((c) => (c.kind === 'removed' ? [{ address: c.resource.address, path: c.resource.path }] : [])),
      changed: changes.flatMap((c) =>
        c.kind === 'changed' ? [{ address: c.after.address, path: c.after.path, attributes: c.attributes.filter((a) => a.attribute !== 'content_base64') }] : [],
      ),
      assetDiffs,
      findings: [...findings].sort((a, b) => order[a.severity] - order[b.severity]),
    };
  });
  const anyChange = stacks.some((s) => s.added.length + s.removed.length + s.changed.length > 0);
  const destructive = stacks.some((s) => s.findings.some((f) => f.severity === 'error'));
  return { verdict: destructive ? 'destructive' : anyChange ? 'change' : 'no-change', stacks };
}
