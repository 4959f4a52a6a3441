import { rmSync, existsSync, renameSync } from 'node:fs';
import { App } from 'cdktf';
import { loadEnvironments, selectEnvironments } from '../config/load-config';
import { pipelines } from '../config/pipelines';
import { workflows } from '../config/workflows';
import { LakehouseStack } from '../constructs/lakehouse-stack';
import type { Pipeline } from '../model/pipeline';
import type { Workflow } from '../model/workflow';

export interface SynthesizeOptions {
  /** Where the synthesized stacks go. */
  readonly outdir: string;
  /** Environment names to synthesize; all when empty. */
  readonly only?: readonly string[];
  /** @default the workflows of config/workflows.ts */
  readonly workflows?: readonly Workflow[];
  /** @default the pipelines of config/pipelines.ts */
  readonly pipelines?: readonly Pipeline[];
}

/**
 * Validates the configuration, builds one stack per environment and synthesizes them.
 * Output is staged beside `outdir` and moved into place only when every stack has
 * synthesized and validated, so a failure leaves `outdir` as it was.
 */
export function synthesizeLakehouse(rawEnvironments: Readonly<Record<string, unknown>>, options: SynthesizeOptions): string[] {
  const environments = selectEnvironments(loadEnvironments(rawEnvironments), options.only ?? []);
  const staging = `${options.outdir}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  try {
    // No stack traces in the manifest: they hold absolute paths of the build machine.
    const app = new App({ outdir: staging, stackTraces: false });
    for (const environment of environments) new LakehouseStack(app, { environment, workflows: options.workflows ?? workflows, pipelines: options.pipelines ?? pipelines });
    app.synth();
    replaceDirectory(staging, options.outdir);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return environments.map((e) => e.stackName);
}

function replaceDirectory(source: string, target: string): void {
  const previous = `${target}.previous-${process.pid}`;
  if (existsSync(target)) renameSync(target, previous);
  renameSync(source, target);
  rmSync(previous, { recursive: true, force: true });
}
