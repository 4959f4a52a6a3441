import { DATA_HOLDERS, ReviewRule } from '../finding';

/**
 * A construct renamed or moved changes the resource's logical id: the plan removes the old
 * resource and adds an identical new one. For a table, that loses its data.
 */
export const renamedConstruct: ReviewRule = {
  name: 'renamed-construct',
  review: (changes) => {
    const added = changes.flatMap((c) => (c.kind === 'added' ? [c.resource] : []));
    return changes.flatMap((c) => {
      if (c.kind !== 'removed') return [];
      const twin = added.find((a) => a.type === c.resource.type && a.name === c.resource.name && a.name !== '(unnamed)');
      if (!twin) return [];
      const what = DATA_HOLDERS[c.resource.type] ?? c.resource.type;
      return [
        {
          severity: 'error' as const,
          rule: 'renamed-construct',
          address: twin.address,
          message: `the ${what} ${twin.name} moved from ${c.resource.path} to ${twin.path}: its logical id changed, so Terraform destroys and recreates it${DATA_HOLDERS[c.resource.type] ? ' (data loss)' : ''}; keep the construct id, or use a moved block`,
        },
      ];
    });
  },
};
