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
    const resources = new Map<string, SynthResource>();
    for (const [type, byId] of Object.entries(json.resource ?? {})) {
      for (const [id, raw] of Object.entries(byId)) {
        const { '//': metadata, ...config } = raw as { '//'?: { metadata?: { path?: string } } };
        resources.set(`${type}.${id}`, { address: `${type}.${id}`, type, path: metadata?.metadata?.path ?? id, config });
      }
    }
    stacks.set(name, resources);
  }
  return stacks;
}
