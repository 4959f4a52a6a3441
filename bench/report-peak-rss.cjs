// Preloaded into every Node process of a benchmarked command (NODE_OPTIONS=--require):
// on exit, appends the process's peak resident set size in KiB to $BENCH_RSS_FILE.
const { appendFileSync } = require('node:fs');

process.on('exit', () => {
  if (process.env.BENCH_RSS_FILE) appendFileSync(process.env.BENCH_RSS_FILE, `${process.resourceUsage().maxRSS}\n`);
});
