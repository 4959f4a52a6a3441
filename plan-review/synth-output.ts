import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

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
  const stacksDir = join(dir, 'stacks');
  if (!existsSync(stacksDir)) throw new Error(`${dir} is not a synth output: it has no stacks/ folder (run npm run synth)`);
  const stacks = new Map<string, SynthStack>();
  for (const name of readdirSync(stacksDir).sort()) {
    const file = join(stacksDir, name, 'cdk.tf.json');
    if (!existsSync(file)) throw new Error(`${file} is missing: ${dir} is not a complete synth output`);
    const json = JSON.parse(readFileSync(file, 'utf8')) as { resource?: Record<string, Record<string, Record<string, unknown>>> };
    const configs = new Map<string, { type: string; path: string; config: Record<string, unknown> }>();
    for (const [type, byId] of Object.entries(json.resource ?? {})) {
      for (const [id, raw] of Object.entries(byId)) {
        const { '//': metadata, ...config } = raw as { '//'?: { metadata?: { path?: string } } };
        configs.set(`${type}.${id}`, { type, path: metadata?.metadata?.path ?? id, config });
      }
    }
    const resources = new Map<string, SynthResource>();
    for (const [address, { type, path, config }] of configs) {
      const parts = [config.catalog_name, config.schema_name, config.name].filter((p): p is string => typeof p === 'string');
      resources.set(address, { address, type, path, config, name: parts.map((p) => resolveReferences(p, configs)).join('.') || '(unnamed)' });
    }
    stacks.set(name, resources);
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
