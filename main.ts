import { environments } from './config/environments';
import { synthesizeLakehouse } from './app/synthesize-lakehouse';

// `cdktf synth` sets CDKTF_OUTDIR; LAKEHOUSE_ENVS=dev,prod narrows the environments.
const outdir = process.env.CDKTF_OUTDIR ?? 'cdktf.out';
const only = (process.env.LAKEHOUSE_ENVS ?? '').split(',').map((s) => s.trim()).filter(Boolean);

try {
  const stacks = synthesizeLakehouse(environments, { outdir, only });
  process.stderr.write(`synthesized ${stacks.join(', ')} into ${outdir}\n`);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
