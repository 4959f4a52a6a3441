import { DATA_HOLDERS, ReviewRule } from '../finding';

export const removedDataHolder: ReviewRule = {
  name: 'removed-data-holder',
  review: (changes) =>
    changes.flatMap((c) =>
      c.kind === 'removed' && DATA_HOLDERS[c.resource.type]
        ? [{ severity: 'error' as const, rule: 'removed-data-holder', address: c.resource.address, message: `removes the ${DATA_HOLDERS[c.resource.type]} ${c.resource.name} and the data in it` }]
        : [],
    ),
};
