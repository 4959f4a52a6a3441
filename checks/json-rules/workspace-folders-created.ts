import type { JsonRule, JsonRuleHit } from '../json-rule';

/** Resources whose workspace folder (`parent_path`) must exist before they are created. */
const FOLDER_USERS = ['databricks_query', 'databricks_alert', 'databricks_dashboard'];

/**
 * The provider creates a query, alert or dashboard in `parent_path` without creating the
 * folder (unlike workspace files and notebooks, whose parents it makes): a folder nothing
 * creates fails the first apply. The stack must declare the folder as a
 * `databricks_directory` and reference it, so Terraform creates it first.
 */
export const workspaceFoldersCreated: JsonRule = {
  id: 'workspace-folders-created',
  description: 'Every workspace folder a query, alert or dashboard lives in is a databricks_directory of the stack, referenced by parent_path.',
  source:
    'databricks/terraform-provider-databricks v1.99.0 sql/resource_query.go (Queries.Create, no mkdir) and docs/resources/query.md, alert.md (examples create the folder with databricks_directory); databricks/cli bundle/deploy/resource_path_mkdir.go',
  check(stack) {
    const directories = new Map(stack.resources.filter((r) => r.type === 'databricks_directory').map((r) => [r.id, String(r.config.path)]));
    const hits: JsonRuleHit[] = [];
    for (const resource of stack.resources.filter((r) => FOLDER_USERS.includes(r.type))) {
      const parent = resource.config.parent_path;
      if (typeof parent !== 'string') continue;
      const reference = /^\$\{databricks_directory\.([^.]+)\.path\}$/.exec(parent);
      if (reference && directories.has(reference[1])) continue;
      const declared = [...directories.values()].includes(parent);
      hits.push({
        address: resource.address,
        message: declared
          ? `parent_path "${parent}" is a literal: reference the databricks_directory's path, so the folder is created before the ${resource.type}`
          : `parent_path "${parent}" is created by nothing in the stack: declare it as a databricks_directory and reference its path`,
      });
    }
    return hits;
  },
};
