// Preloaded into every Node process of a benchmarked command (NODE_OPTIONS=--require):
// on exit, appends the process's peak resident set size in KiB and the CPU time it used (user
// and system, in microseconds) to $BENCH_RSS_FILE, one line a process. CPU time barely moves
// with the machine's load, where wall time on a shared machine does.
const { appendFileSync } = require('node:fs');

process.on('exit', () => {
  const usage = process.resourceUsage();
  if (process.env.BENCH_RSS_FILE) appendFileSync(process.env.BENCH_RSS_FILE, `${usage.maxRSS} ${usage.userCPUTime + usage.systemCPUTime}\n`);
});
