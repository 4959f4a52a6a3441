import { basename } from 'node:path';
import { readSynthesizedStacks } from '../checks/synthesized-stack';

/** One resource of a synthesized stack, addressed as Terraform addresses it. */
export interface SynthResource {
  /** `<type>.<logical id>`. */
  readonly address: string;
  readonly type: string;
  /** The construct path, e.g. `lakehouse-prod/Catalog/Resource`. */
  readonly path: string;
  /** The resource's configuration, without cdktf's metadata. */
  readonly config: Record<string, unknown>;
  /** `catalog.schema.name` as far as the stack's own references resolve, for messages. */
  readonly name: string;
  /** The stack file it is declared in, as `<synth folder name>/stacks/<stack>/cdk.tf.json`. */
  readonly file: string;
  /** 1-based line of its declaration in that file. */
  readonly line: number;
}

export type SynthStack = ReadonlyMap<string, SynthResource>;

/** Every stack of a synth output folder (`cdktf.out`), by stack name. */
export function readSynthOutput(dir: string): Map<string, SynthStack> {
  const stacks = new Map<string, SynthStack>();
  for (const stack of readSynthesizedStacks(dir)) {
    const configs = new Map(stack.resources.map((r) => [r.address, r]));
    const file = `${basename(dir)}/${stack.file.split('\\').join('/')}`;
    const lines = resourceLines(stack.text);
    stacks.set(
      stack.name,
      new Map(
        stack.resources.map(({ address, type, path, config }) => {
          const parts = [config.catalog_name, config.schema_name, config.name].filter((p): p is string => typeof p === 'string');
          const name = parts.map((p) => resolveReferences(p, configs)).join('.') || '(unnamed)';
          return [address, { address, type, path, config, name, file, line: lines.get(address) ?? 1 }];
        }),
      ),
    );
    for (const provider of requiredProviders(stack.json, file, stack.text)) (stacks.get(stack.name) as Map<string, SynthResource>).set(provider.address, provider);
  }
  return stacks;
}

/** The type the review gives a provider the stack requires (`terraform.required_providers.<name>`), compared like a resource. */
export const REQUIRED_PROVIDER = 'terraform.required_providers';

/** The providers a stack requires, with their versions, as pseudo-resources the review compares like any other. */
function requiredProviders(json: Record<string, unknown>, file: string, text: string): SynthResource[] {
  const providers = ((json.terraform as { required_providers?: Record<string, Record<string, unknown>> } | undefined)?.required_providers ?? {}) as Record<string, Record<string, unknown>>;
  const line = text.split('\n').findIndex((l) => l.includes('"required_providers"')) + 1;
  return Object.entries(providers).map(([name, config]) => ({ address: `${REQUIRED_PROVIDER}.${name}`, type: REQUIRED_PROVIDER, path: 'terraform', config, name, file, line: Math.max(line, 1) }));
}

/**
 * The line of every resource of a stack file, by address, in one pass: cdktf writes the JSON
 * indented by two spaces, so a resource's type opens at depth 2 of `resource` and its id at depth 3.
 */
function resourceLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  let inResources = false;
  let type: string | undefined;
  text.split('\n').forEach((line, index) => {
    const key = /^( *)"([^"]+)": \{$/.exec(line);
    if (!key) return;
    const depth = key[1].length / 2;
    if (depth === 1) inResources = key[2] === 'resource';
    else if (inResources && depth === 2) type = key[2];
    else if (inResources && depth === 3 && type) lines.set(`${type}.${key[2]}`, index + 1);
  });
  return lines;
}

/** Replaces `${type.id.attribute}` with the literal the referenced resource sets, where it sets one. */
function resolveReferences(value: string, configs: ReadonlyMap<string, { config: Record<string, unknown> }>, depth = 0): string {
  if (depth > 5) return value;
  const resolved = value.replace(/\$\{(\w+\.[\w-]+)\.(\w+)\}/g, (reference, address: string, attribute: string) => {
    const target = configs.get(address)?.config[attribute];
    return typeof target === 'string' ? target : reference;
  });
  return resolved === value ? value : resolveReferences(resolved, configs, depth + 1);
}
