import { Lazy } from 'cdktn';
import { CREATION_STACK_SWITCH, withoutCreationStacks } from '../../app/creation-stacks';

/** The creation stack cdktn records for a token made now (empty when its switch is on). */
const creationStack = () => Lazy.anyValue({ produce: () => 'x' }).creationStack;

describe('creation stacks', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('are not recorded during synth, and the switch is as it was afterwards', () => {
    delete process.env[CREATION_STACK_SWITCH];
    delete process.env.LAKEHOUSE_SYNTH_STACK_TRACES;
    expect(creationStack().length).toBeGreaterThan(0);
    expect(withoutCreationStacks(creationStack)).toEqual([]);
    expect(process.env[CREATION_STACK_SWITCH]).toBeUndefined();
  });

  it('are recorded with LAKEHOUSE_SYNTH_STACK_TRACES=1, even when the environment turns them off', () => {
    process.env[CREATION_STACK_SWITCH] = '1';
    process.env.LAKEHOUSE_SYNTH_STACK_TRACES = '1';
    expect(withoutCreationStacks(creationStack).length).toBeGreaterThan(0);
    expect(process.env[CREATION_STACK_SWITCH]).toBe('1');
  });
});
