import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jobDiagramFiles } from '../../app/job-diagrams';
import { projectWorkflows } from '../../config/project';

const workflows = projectWorkflows();

const docs = join(__dirname, '..', '..', 'docs', 'jobs');

describe('job diagrams in docs/jobs', () => {
  const expected = jobDiagramFiles(workflows);

  it('exist for every workflow and no other', () => {
    expect(readdirSync(docs).filter((f) => f.endsWith('.md')).sort()).toEqual([...expected.keys()].sort());
  });

  it.each([...expected.keys()])('%s is up to date with the workflow model (run `npm run graph`)', (file) => {
    expect(readFileSync(join(docs, file), 'utf8')).toBe(expected.get(file));
  });
});
