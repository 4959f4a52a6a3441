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
}

export type SynthStack = ReadonlyMap<string, SynthResource>;

/** Every stack of a synth output folder (`cdktf.out`), by stack name. */
export function readSynthOutput(dir: string): Map<string, SynthStack> {
  const stacks = new Map<string, SynthStack>();
  for (const stack of readSynthesizedStacks(dir)) {
    const configs = new Map(stack.resources.map((r) => [r.address, r]));
    stacks.set(
      stack.name,
      new Map(
        stack.resources.map(({ address, type, path, config }) => {
          const parts = [config.catalog_name, config.schema_name, config.name].filter((p): p is string => typeof p === 'string');
          return [address, { address, type, path, config, name: parts.map((p) => resolveReferences(p, configs)).join('.') || '(unnamed)' }];
        }),
      ),
    );
  }
  return stacks;
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
