import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidInputError } from '../model/errors';

/**
 * A synthesized stack as `cdktf synth` wrote it (`cdktf.out/stacks/<stack>/cdk.tf.json`):
 * the whole Terraform JSON, and its resources with their addresses. Read by the JSON rules,
 * the guardrails run by `npm run check`, and the plan review.
 */
export interface SynthesizedResource {
  readonly type: string;
  /** Logical id, e.g. `Catalog_7A1B2C3D`. */
  readonly id: string;
  /** `<type>.<id>`, as Terraform addresses it. */
  readonly address: string;
  /** Construct path, e.g. `lakehouse-prod/Catalog/Resource`. */
  readonly path: string;
  /** Configuration without cdktf's `//` metadata. */
  readonly config: Record<string, unknown>;
}

export interface SynthesizedStack {
  readonly name: string;
  /** The stack file, relative to the synth output folder. */
  readonly file: string;
  readonly text: string;
  readonly json: Record<string, unknown>;
  readonly resources: readonly SynthesizedResource[];
}

/** The resources of a stack's Terraform JSON. */
export function resourcesOf(json: Record<string, unknown>): SynthesizedResource[] {
  const resources: SynthesizedResource[] = [];
  for (const [type, byId] of Object.entries((json.resource ?? {}) as Record<string, Record<string, Record<string, unknown>>>)) {
    for (const [id, raw] of Object.entries(byId)) {
      const { '//': metadata, ...config } = raw as { '//'?: { metadata?: { path?: string } } };
      resources.push({ type, id, address: `${type}.${id}`, path: metadata?.metadata?.path ?? id, config });
    }
  }
  return resources;
}

export function parseSynthesizedStack(name: string, file: string, text: string): SynthesizedStack {
  const json = JSON.parse(text) as Record<string, unknown>;
  return { name, file, text, json, resources: resourcesOf(json) };
}

/** Every stack of a synth output folder, in name order. */
export function readSynthesizedStacks(outdir: string): SynthesizedStack[] {
  const stacksDir = join(outdir, 'stacks');
  if (!existsSync(stacksDir)) throw new InvalidInputError(`${outdir} is not a synth output: it has no stacks/ folder (run npm run synth)`);
  return readdirSync(stacksDir)
    .sort()
    .map((name) => {
      const file = join('stacks', name, 'cdk.tf.json');
      if (!existsSync(join(outdir, file))) throw new InvalidInputError(`${join(outdir, file)} is missing: ${outdir} is not a complete synth output`);
      return parseSynthesizedStack(name, file, readFileSync(join(outdir, file), 'utf8'));
    });
}

/** 1-based line of a resource (or of a top-level block such as `provider`) in the stack file. */
export function lineOf(stack: SynthesizedStack, address: string): number {
  const key = address.includes('.') ? address.slice(address.indexOf('.') + 1) : address;
  const index = stack.text.indexOf(`"${key}": {`);
  return index === -1 ? 1 : stack.text.slice(0, index).split('\n').length;
}
