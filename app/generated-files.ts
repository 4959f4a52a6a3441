import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { sourceJsonSchema } from '../config/source-schema';
import { environments } from '../config/environments';
import { loadEnvironments } from '../config/load-config';
import type { Project } from '../config/project';
import { SOURCE_SCHEMA_FILE, SOURCES_FOLDER } from '../config/load-sources';
import { pipelineEventLogs } from '../constructs/monitoring-dashboard';
import { monitoringDashboardSpec } from '../model/dashboard/monitoring-dashboard';
import { renderDashboardSvg } from '../model/dashboard/render-svg';
import { serializeDashboard } from '../model/dashboard/serialize';
import { resourcePrefix } from '../model/naming';
import { generatedSqlFiles } from '../model/source-sql';
import { sampleCsv } from '../model/source-samples';
import { jobDiagramFiles, pipelineDiagramFiles } from './job-diagrams';
import { ruleIndexFiles } from './rule-indexes';

/** Where the local samples of a volume's incoming folder live. */
const SAMPLES = (volume: string) => `samples/volumes/lakehouse_local/landing/${volume}/incoming`;

/**
 * Every file `npm run generate` writes, path (relative to the project root) → content: the
 * SQL of each source, the JSON Schema of source files (from the validator), sample data for
 * sources whose landing folder has none, and the job and pipeline diagrams. A test fails
 * when any file on disk differs.
 */
export function generatedFiles(project: Project, projectRoot: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const source of project.sources) for (const [path, content] of generatedSqlFiles(source)) files.set(path, content);
  files.set(`${SOURCES_FOLDER}/${SOURCE_SCHEMA_FILE}`, `${JSON.stringify(sourceJsonSchema(), null, 2)}\n`);
  for (const source of project.sources) {
    const folder = SAMPLES(source.landing.volume);
    const sample = `${folder}/${source.name}_sample.csv`;
    const others = existsSync(join(projectRoot, folder)) ? readdirSync(join(projectRoot, folder)).filter((f) => `${folder}/${f}` !== sample) : [];
    const csv = sampleCsv(source);
    if (csv !== undefined && others.length === 0) files.set(sample, csv);
  }
  for (const [name, content] of jobDiagramFiles(project.workflows)) files.set(`docs/jobs/${name}`, content);
  // a pipeline's SQL may be generated in this same run
  const read = (file: string) => files.get(file) ?? readFileSync(join(projectRoot, file), 'utf8');
  for (const [name, content] of pipelineDiagramFiles(project.pipelines, projectRoot, read)) files.set(`docs/pipelines/${name}`, content);
  files.set(MONITORING_DASHBOARD_PICTURE, monitoringDashboardPicture(project, projectRoot, read));
  for (const [path, content] of ruleIndexFiles(projectRoot)) files.set(path, content);
  return files;
}

/** The picture of the monitoring dashboard's layout, linked from the README. */
export const MONITORING_DASHBOARD_PICTURE = 'docs/monitoring-dashboard.svg';

/**
 * The monitoring dashboard's layout as `renderDashboardSvg` draws it from the serialized
 * definition MonitoringDashboard deploys, for a representative environment: the first
 * production one (else the first), with the project's pipelines.
 */
export function monitoringDashboardPicture(project: Project, projectRoot: string, read: (file: string) => string = (file) => readFileSync(join(projectRoot, file), 'utf8')): string {
  const all = loadEnvironments(environments);
  const environment = all.find((e) => e.mode === 'production') ?? all[0];
  const { catalog } = environment;
  const lineage = project.tables.find((t) => t.layer === 'silver') ?? project.tables[0];
  const spec = monitoringDashboardSpec({
    namePrefix: resourcePrefix(environment.name),
    opsSchema: `${catalog.name}.${catalog.schemas.ops}`,
    eventLogTables: pipelineEventLogs({ catalog: catalog.name, opsSchema: catalog.schemas.ops, pipelines: project.pipelines, projectRoot }, read),
    lineageTable: `${catalog.name}.${catalog.schemas[lineage.layer]}.${lineage.spec.name}`,
    sqlOf: read,
  });
  return renderDashboardSvg(serializeDashboard(spec), { title: spec.title });
}

/** Folders whose every file is generated: a file there that is no longer generated is removed. */
export const GENERATED_FOLDERS: readonly string[] = ['sql/generated', 'docs/jobs', 'docs/pipelines'];
