import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jobDiagramFiles } from '../app/job-diagrams';
import { PROJECT_ROOT } from '../app/project-root';
import { workflows } from '../config/workflows';

// `npm run graph`: rewrites docs/jobs/ from the workflow model.
const dir = join(PROJECT_ROOT, 'docs', 'jobs');
mkdirSync(dir, { recursive: true });
const files = jobDiagramFiles(workflows);
for (const stale of readdirSync(dir).filter((f) => f.endsWith('.md') && !files.has(f))) rmSync(join(dir, stale));
for (const [name, content] of files) writeFileSync(join(dir, name), content);
process.stderr.write(`wrote ${files.size} job diagrams to docs/jobs/\n`);
