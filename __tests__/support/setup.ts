// Runs before every test file: keep it cheap (a test file that needs cdktf's jest matchers
// sets them up itself, so files that never synthesize do not load cdktf).
process.env.CHECKPOINT_DISABLE = '1';
