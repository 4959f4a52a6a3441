/** The environment variable naming the jest run's shared folder (global-setup.ts). */
export const SYNTH_CACHE_VARIABLE = 'LAKEHOUSE_TEST_RUN_CACHE';
