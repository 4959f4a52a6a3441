import { environments } from './config/environments';
import { currentDeveloper } from './config/current-developer';
import { synthesizeLakehouse } from './app/synthesize-lakehouse';
import { failCommand } from './model/errors';

// `cdktf synth` sets CDKTF_OUTDIR; LAKEHOUSE_ENVS=dev,prod narrows the environments.
// LAKEHOUSE_DEV_USER=<name> (or `npm run synth:dev`, which falls back on git's user.email)
// synthesizes that developer's own deployment of the development environment instead.
const outdir = process.env.CDKTF_OUTDIR ?? 'cdktf.out';
const only = (process.env.LAKEHOUSE_ENVS ?? '').split(',').map((s) => s.trim()).filter(Boolean);

try {
  const developer = currentDeveloper(process.env, { fromGit: process.argv.includes('--developer') });
  const stacks = synthesizeLakehouse(environments, { outdir, only, developer });
  process.stderr.write(`synthesized ${stacks.join(', ')} into ${outdir}\n`);
} catch (error) {
  failCommand(error);
}
