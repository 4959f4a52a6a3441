import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jobDiagramFiles, pipelineDiagramFiles } from '../app/job-diagrams';
import { PROJECT_ROOT } from '../config/project-root';
import { projectPipelines, projectWorkflows } from '../config/project';

// `npm run graph`: rewrites docs/jobs/ and docs/pipelines/ from the workflows and pipelines.
function writeAll(folder: string, files: Map<string, string>): void {
  const dir = join(PROJECT_ROOT, 'docs', folder);
  mkdirSync(dir, { recursive: true });
  for (const stale of readdirSync(dir).filter((f) => f.endsWith('.md') && !files.has(f))) rmSync(join(dir, stale));
  for (const [name, content] of files) writeFileSync(join(dir, name), content);
  process.stderr.write(`wrote ${files.size} diagrams to docs/${folder}/\n`);
}

writeAll('jobs', jobDiagramFiles(projectWorkflows()));
writeAll('pipelines', pipelineDiagramFiles(projectPipelines(), PROJECT_ROOT));
