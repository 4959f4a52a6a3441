/** cdktn's switch for the creation stacks it records (lib/tokens/private/stack-trace.js, captureCreationStack). */
export const CREATION_STACK_SWITCH = 'CDKTN_DISABLE_CREATION_STACK';

/**
 * Runs `work` without creation stacks. cdktn records a full stack trace for every token and
 * resource it creates, for its error messages (captureCreationStack: Error.stackTraceLimit
 * lifted to every frame, then Error.captureStackTrace), a third of synth at hundreds of
 * sources. Synth writes no stack trace (stackTraces: false) and reports problems by message,
 * so here cdktn's own switch, CDKTN_DISABLE_CREATION_STACK=1, is on for the synth.
 * LAKEHOUSE_SYNTH_STACK_TRACES=1 records them, whatever the environment says (a test proves
 * the output is the same).
 */
export function withoutCreationStacks<T>(work: () => T): T {
  const previous = process.env[CREATION_STACK_SWITCH];
  if (process.env.LAKEHOUSE_SYNTH_STACK_TRACES === '1') delete process.env[CREATION_STACK_SWITCH];
  else process.env[CREATION_STACK_SWITCH] = '1';
  try {
    return work();
  } finally {
    if (previous === undefined) delete process.env[CREATION_STACK_SWITCH];
    else process.env[CREATION_STACK_SWITCH] = previous;
  }
}
