import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { PROJECT_ROOT } from '../config/project-root';

// node scripts/run-ts.mjs scripts/extract-bundle-schema.ts <databricks-bundle-jsonschema.json> [<LICENSE>]
//
// Extracts from Databricks' bundle JSON schema (databricks/cli bundle/schema/jsonschema.json)
// the definitions `resources.Job` and `resources.Pipeline` and every `$defs` entry they
// reference, transitively, into checks/data/bundle-schema/, which the `bundle-schema` JSON rule
// validates synthesized jobs and pipelines against (the tests never read the 900 kB original).
// Beside it go the licence (the Databricks License wants recipients to get a copy; by default
// `databricks-cli-LICENSE.txt` next to the schema) and a NOTICE.md saying what was modified
// (the licence wants modified files to carry a prominent notice). Run by hand when the schema
// is refreshed, and update SOURCE_COMMIT to the commit it came from.

const SOURCE_REPOSITORY = 'databricks/cli';
const SOURCE_PATH = 'bundle/schema/jsonschema.json';
const SOURCE_COMMIT = 'e37109f8ba1060aeb553d7b8e0a7a83a01d8fe82';
const ROOTS = ['#/$defs/github.com/databricks/cli/bundle/config/resources.Job', '#/$defs/github.com/databricks/cli/bundle/config/resources.Pipeline'];
const OUT_DIR = join(PROJECT_ROOT, 'checks', 'data', 'bundle-schema');
const SCHEMA_FILE = 'jobs-pipelines.schema.json';

type Json = Record<string, unknown>;

/** The reference tokens of a local JSON pointer (`#/$defs/a~1b` → [`$defs`, `a/b`]), RFC 6901. */
function tokens(ref: string): string[] {
  if (!ref.startsWith('#/')) throw new Error(`only local references are supported, not ${ref}`);
  return ref
    .slice(2)
    .split('/')
    .map((token) => decodeURIComponent(token).replace(/~1/g, '/').replace(/~0/g, '~'));
}

function lookup(root: Json, ref: string): unknown {
  let node: unknown = root;
  for (const token of tokens(ref)) {
    if (!node || typeof node !== 'object' || !Object.prototype.hasOwnProperty.call(node, token)) throw new Error(`${ref} does not resolve in the schema`);
    node = (node as Json)[token];
  }
  return node;
}

/** Every `$ref` value in a schema node, however deep. */
function refsIn(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((item) => refsIn(item, found));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') found.push(value);
      else refsIn(value, found);
    }
  }
  return found;
}

/** The definitions reachable from the roots, as `#/$defs/…` pointers. */
function reachableDefinitions(schema: Json, roots: readonly string[]): Set<string> {
  const reached = new Set<string>();
  const queue = [...roots];
  while (queue.length > 0) {
    const ref = queue.pop()!;
    if (reached.has(ref)) continue;
    if (tokens(ref)[0] !== '$defs') throw new Error(`${ref} points outside $defs`);
    reached.add(ref);
    queue.push(...refsIn(lookup(schema, ref)));
  }
  return reached;
}

/** `$defs` with the reached definitions only, unchanged, at their original paths and in the original order. */
function extractDefinitions(schema: Json, reached: Set<string>): Json {
  const paths = [...reached].map((ref) => tokens(ref));
  for (const a of paths) {
    for (const b of paths) {
      if (a !== b && a.length < b.length && a.every((token, i) => token === b[i])) throw new Error(`definition ${a.join('/')} contains definition ${b.join('/')}: cannot extract one without the other`);
    }
  }
  const copy = (node: Json, at: string[]): Json => {
    const kept: Json = {};
    for (const [key, value] of Object.entries(node)) {
      const path = [...at, key];
      if (paths.some((p) => p.length === path.length && p.every((token, i) => token === path[i]))) kept[key] = value;
      else if (paths.some((p) => p.length > path.length && path.every((token, i) => token === p[i]))) kept[key] = copy(value as Json, path);
    }
    return kept;
  };
  return copy(schema.$defs as Json, ['$defs']);
}

function main(): void {
  const [schemaPath, licenseArgument] = process.argv.slice(2);
  if (!schemaPath) {
    process.stderr.write('usage: node scripts/run-ts.mjs scripts/extract-bundle-schema.ts <databricks-bundle-jsonschema.json> [<LICENSE>]\n');
    process.exit(2);
  }
  const licensePath = licenseArgument ?? join(dirname(schemaPath), 'databricks-cli-LICENSE.txt');
  if (!existsSync(licensePath)) throw new Error(`${licensePath} is missing: the Databricks License must be copied beside the extract (pass its path as the second argument)`);

  const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as Json;
  const reached = reachableDefinitions(schema, ROOTS);
  const extract: Json = {
    $comment: `Extract of ${SOURCE_REPOSITORY} ${SOURCE_PATH} at commit ${SOURCE_COMMIT} (https://github.com/${SOURCE_REPOSITORY}/blob/${SOURCE_COMMIT}/${SOURCE_PATH}): only the definitions resources.Job and resources.Pipeline and the ${reached.size - ROOTS.length} $defs entries they reference transitively, each unchanged at its original path; everything else left out. Made by scripts/extract-bundle-schema.ts. Licensed under the Databricks License in LICENSE beside this file; see NOTICE.md.`,
    $defs: extractDefinitions(schema, reached),
  };
  // Every reference of the extract resolves inside it.
  for (const ref of refsIn(extract.$defs)) lookup(extract, ref);

  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(join(OUT_DIR, SCHEMA_FILE), `${JSON.stringify(extract, null, 2)}\n`);
  writeFileSync(join(OUT_DIR, 'LICENSE'), readFileSync(licensePath));
  writeFileSync(
    join(OUT_DIR, 'NOTICE.md'),
    [
      '# Notice',
      '',
      `\`${SCHEMA_FILE}\` is a modified extract of \`${SOURCE_PATH}\` of the public repository`,
      `[${SOURCE_REPOSITORY}](https://github.com/${SOURCE_REPOSITORY}) at commit \`${SOURCE_COMMIT}\`,`,
      'Copyright (2022) Databricks, Inc., licensed under the Databricks License, a copy of which is',
      '`LICENSE` beside this file.',
      '',
      '## What was modified',
      '',
      '- Only the definitions `github.com/databricks/cli/bundle/config/resources.Job` and',
      `  \`github.com/databricks/cli/bundle/config/resources.Pipeline\` and the ${reached.size - ROOTS.length} \`$defs\` entries they`,
      '  reference, directly or transitively, are kept. Each kept definition is unchanged and stays at',
      '  its original path under `$defs`, so every `$ref` still resolves.',
      '- All other definitions and the top-level `type`, `properties` and `additionalProperties` of the',
      '  bundle configuration are left out.',
      '- A top-level `$comment` naming the source and pointing here was added.',
      '',
      'It was made by `scripts/extract-bundle-schema.ts` and is used by the `bundle-schema` check',
      '(`checks/json-rules/bundle-schema.ts`) to validate the Databricks jobs and pipelines this project',
      'deploys to the Databricks Services.',
      '',
    ].join('\n'),
  );
  process.stderr.write(`wrote ${reached.size} definitions to ${relative(process.cwd(), join(OUT_DIR, SCHEMA_FILE))}, with LICENSE and NOTICE.md\n`);
}

main();
