import { BadInputError } from '../../remote/errors';
import { deploymentTarget } from '../../remote/target';
import { environments } from '../../config/environments';
import { loadEnvironments } from '../../config/load-config';

describe('deployment target', () => {
  it("names an environment's jobs and pipelines as the stacks deploy them", () => {
    const dev = deploymentTarget('dev');
    expect(dev.host).toBe('https://lakehouse-dev.cloud.databricks.com');
    expect(dev.profile).toBeUndefined();
    expect(dev.namePrefix).toBe('[dev] ');
    expect(dev.jobName('ingest-orders')).toBe('[dev] ingest-orders');
    expect(dev.pipelineName('orders-medallion')).toBe('[dev] orders-medallion');
    expect(deploymentTarget('prod').jobName('analytics-dag')).toBe('[prod] analytics-dag');
  });

  it('refuses, as bad input, an unknown environment, workflow or pipeline, naming the known ones', () => {
    const known = loadEnvironments(environments).map((e) => e.name);
    expect(() => deploymentTarget('no-such-env')).toThrow(new BadInputError(`unknown environment "no-such-env"; known: ${known.join(', ')}`));
    const dev = deploymentTarget('dev');
    expect(() => dev.jobName('orders-medallion')).toThrow(BadInputError);
    expect(() => dev.jobName('nope')).toThrow(/^unknown workflow "nope"; known: .*analytics-dag.*ingest-orders/);
    expect(() => dev.pipelineName('ingest-orders')).toThrow('unknown pipeline "ingest-orders"; known: orders-medallion, user-analytics');
  });
});
