import diff from 'microdiff';
import type { SynthResource, SynthStack } from './synth-output';

export interface AttributeChange {
  /** Dotted path of the attribute, e.g. `trigger.pause_status` or `column[2].type`. */
  readonly attribute: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

export type ResourceChange =
  | { readonly kind: 'added'; readonly resource: SynthResource }
  | { readonly kind: 'removed'; readonly resource: SynthResource }
  | { readonly kind: 'changed'; readonly before: SynthResource; readonly after: SynthResource; readonly attributes: readonly AttributeChange[] };

function attributePath(path: readonly (string | number)[]): string {
  return path.reduce<string>((acc, part) => (typeof part === 'number' || part.startsWith('[') ? `${acc}${typeof part === 'number' ? `[${part}]` : part}` : acc ? `${acc}.${part}` : part), '');
}

/** Fields that identify the blocks of a list (tasks, columns, grants, parameters). */
const BLOCK_KEYS = ['task_key', 'principal', 'name'];

/**
 * Lists of keyed blocks become objects keyed `[key]`, so that inserting a task shows as one
 * added task rather than every later task shifting by one, as a plan by index would.
 */
function keyedForDiff(value: unknown): unknown {
  if (Array.isArray(value)) {
    const key = BLOCK_KEYS.find((k) => value.length > 0 && value.every((v) => typeof v === 'object' && v !== null && typeof (v as Record<string, unknown>)[k] === 'string'));
    const keys = key ? value.map((v) => (v as Record<string, string>)[key]) : [];
    if (key && new Set(keys).size === keys.length) return Object.fromEntries(value.map((v, i) => [`[${keys[i]}]`, keyedForDiff(v)]));
    return value.map(keyedForDiff);
  }
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, keyedForDiff(v)]));
  return value;
}

/** What changes from one version of a stack to the next, resource by resource, in address order. */
export function diffStack(before: SynthStack, after: SynthStack): ResourceChange[] {
  const addresses = [...new Set([...before.keys(), ...after.keys()])].sort();
  const changes: ResourceChange[] = [];
  for (const address of addresses) {
    const old = before.get(address);
    const now = after.get(address);
    if (!old) changes.push({ kind: 'added', resource: now! });
    else if (!now) changes.push({ kind: 'removed', resource: old });
    else {
      const attributes = diff(keyedForDiff(old.config) as Record<string, unknown>, keyedForDiff(now.config) as Record<string, unknown>).map((d) => ({
        attribute: attributePath(d.path),
        before: d.type === 'CREATE' ? undefined : d.oldValue,
        after: d.type === 'REMOVE' ? undefined : d.value,
      }));
      if (attributes.length > 0) changes.push({ kind: 'changed', before: old, after: now, attributes });
    }
  }
  return changes;
}
