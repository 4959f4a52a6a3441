import type { Parameters } from 'fast-check';

/**
 * How hard property and fault sweeps push. `npm test` runs the quick depth: a fixed number
 * of cases from a fixed seed, so the suite is steady and a failure replays exactly.
 * `npm run test:deep` (LAKEHOUSE_TEST_DEPTH=deep) runs many more cases from a fresh seed
 * (or FC_SEED=<n> to replay one); fast-check prints the seed and the shrunk counterexample
 * of any failure, at either depth.
 */
export const DEPTH: 'quick' | 'deep' = process.env.LAKEHOUSE_TEST_DEPTH === 'deep' ? 'deep' : 'quick';

/** The quick suite's seed: fixed, so `npm test` tries the same cases every run. */
const QUICK_SEED = 20261204;

/** fast-check parameters for a property: `runs.quick` cases in `npm test`, `runs.deep` in `npm run test:deep`. */
export function propertyRuns<T = unknown>(runs: { readonly quick: number; readonly deep: number }): Parameters<T> {
  if (DEPTH === 'deep') {
    const seed = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED);
    return { numRuns: runs.deep, ...(seed === undefined ? {} : { seed }) };
  }
  return { numRuns: runs.quick, seed: QUICK_SEED };
}

/** Picks the quick or the deep value of a sweep's size (kill points sampled, sources generated…). */
export function bySuiteDepth<T>(sizes: { readonly quick: T; readonly deep: T }): T {
  return DEPTH === 'deep' ? sizes.deep : sizes.quick;
}

/**
 * The points a task of `statements` statements can die at: 0 (before its first statement)
 * to `statements` (after its last, before reporting success). The deep suite tries every
 * one; the quick suite only `quick`, the boundaries the test is about.
 */
export function killPoints(statements: number, quick: readonly number[]): number[] {
  if (quick.some((after) => !Number.isInteger(after) || after < 0 || after > statements)) throw new Error(`kill points ${quick.join(', ')}: a task of ${statements} statements dies after 0 to ${statements} of them`);
  return DEPTH === 'deep' ? Array.from({ length: statements + 1 }, (_v, after) => after) : [...new Set(quick)];
}

/**
 * A quick kill point for the `index`-th task of a sweep: in the middle of its statements or
 * after its last (its retry then runs the whole file again), in turn, so a workflow of two
 * tasks or more meets both; the deep suite kills every task at every point.
 */
export function middleOrLast(statements: number, index: number): number {
  return index % 2 === 0 ? Math.ceil(statements / 2) : statements;
}
