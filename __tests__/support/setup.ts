// Runs before every test file: keep it cheap (a test file that needs cdktf's jest matchers
// sets them up itself, so files that never synthesize do not load cdktf).
import { CREATION_STACK_SWITCH } from '../../app/creation-stacks';

process.env.CHECKPOINT_DISABLE = '1';
// no creation stack for the tokens of the stacks tests build, as synth records none
// (app/creation-stacks.ts): under jest each frame of each one is mapped through source maps,
// which cost more than the rest of those tests' construction
process.env[CREATION_STACK_SWITCH] = '1';
