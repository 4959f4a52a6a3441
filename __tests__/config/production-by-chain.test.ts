import { environments } from '../../config/environments';
import { loadEnvironments } from '../../config/load-config';

/** Which environment is production is the promotion chain's to say, not a field that config can flip. */
describe('the end of the promotion chain is production', () => {
  const chain = loadEnvironments(environments).filter((e) => e.deployedByCi);
  const last = chain.at(-1)!;

  it(`refuses ${last.name} in development mode, which would switch off every production guardrail`, () => {
    const flipped = { ...environments, [last.name]: { ...environments[last.name], mode: 'development' } };
    expect(() => loadEnvironments(flipped)).toThrow(new RegExp(`environment "${last.name}", field "mode": "${last.name}" is the last environment of the promotion chain, so it is production`));
  });

  it('lets an environment before it choose its mode', () => {
    const first = chain[0];
    expect(() => loadEnvironments({ ...environments, [first.name]: { ...environments[first.name], mode: 'development' } })).not.toThrow();
  });
});
