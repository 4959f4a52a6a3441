import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PROJECT_ROOT } from '../config/project-root';

// `node scripts/run-ts.mjs scripts/extract-job-schema.ts <databricks-bundle-jsonschema.json> [<LICENSE>]`:
// extracts the Job and Pipeline definitions of Databricks' bundle JSON schema (databricks/cli
// bundle/schema/jsonschema.json), with every definition they reference, into
// checks/data/databricks-job-schema/, so the checks validate synthesized jobs and pipelines
// against it without the whole 900 kB file. Run by hand when the schema is updated.

const SOURCE_COMMIT = 'e37109f8ba1060aeb553d7b8e0a7a83a01d8fe82';
const ROOTS = ['#/$defs/github.com/databricks/cli/bundle/config/resources.Job', '#/$defs/github.com/databricks/cli/bundle/config/resources.Pipeline'];

type Json = Record<string, unknown>;
const [schemaPath, licensePath] = process.argv.slice(2);
if (!schemaPath) throw new Error('usage: extract-job-schema.ts <databricks-bundle-jsonschema.json> [<LICENSE>]');
const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as Json;

const segments = (ref: string) => ref.replace(/^#\//, '').split('/');
function lookup(ref: string): unknown {
  return segments(ref).reduce<unknown>((node, part) => (node as Json)[part], schema);
}

const wanted = new Set<string>();
const visit = (ref: string) => {
  if (wanted.has(ref)) return;
  wanted.add(ref);
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === '$ref' && typeof value === 'string') visit(value);
        else walk(value);
      }
    }
  };
  walk(lookup(ref));
};
ROOTS.forEach(visit);

const extract: Json = {
  $comment: `Extract of databricks/cli bundle/schema/jsonschema.json at commit ${SOURCE_COMMIT}: the definitions resources.Job and resources.Pipeline and every definition they reference, unchanged. Licensed under the Databricks License in LICENSE beside this file; see NOTICE.md.`,
};
for (const ref of [...wanted].sort()) {
  const parts = segments(ref);
  let node = extract;
  for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Json;
  node[parts.at(-1)!] = lookup(ref);
}
const outDir = join(PROJECT_ROOT, 'checks', 'data', 'databricks-job-schema');
writeFileSync(join(outDir, 'jobs-pipelines.schema.json'), `${JSON.stringify(extract, null, 1)}\n`);
if (licensePath) copyFileSync(licensePath, join(outDir, 'LICENSE'));
writeFileSync(
  join(outDir, 'NOTICE.md'),
  [
    '# Notice',
    '',
    `\`jobs-pipelines.schema.json\` is an extract of \`bundle/schema/jsonschema.json\` of the public repository databricks/cli at commit ${SOURCE_COMMIT}, made by \`scripts/extract-job-schema.ts\`.`,
    '',
    'Modified: only the definitions `resources.Job` and `resources.Pipeline` and the definitions they reference (transitively) are kept; each kept definition is unchanged, at its original path under `$defs`. The rest of the schema is left out.',
    '',
    'The original is licensed under the Databricks License, a copy of which is in `LICENSE` beside this file. It is used here to check that jobs and pipelines deployed to Databricks are valid for Databricks.',
    '',
  ].join('\n'),
);
process.stderr.write(`wrote ${wanted.size} definitions to ${dirname(join(outDir, 'x'))}\n`);
