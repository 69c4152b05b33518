/**
 * `--processes=N`: the API as N processes behind one port (node:cluster), for ADR 048's question of
 * whether a second process pays on this machine. The primary only forks and hands out connections;
 * the workers are the API as `startApi` would run it, sharing Redis (REDIS_URL is required: a send
 * answered by one worker must reach sockets held by the other).
 *
 *   BENCH_API_EXEC=<entry file> BENCH_API_EXEC_ARGV=<JSON array> API_PROCESSES=N node cluster.ts
 */
import cluster from 'node:cluster';

const processes = Number(process.env.API_PROCESSES ?? 2);
const port = Number(process.env.PORT);
cluster.setupPrimary({
  exec: process.env.BENCH_API_EXEC!,
  execArgv: JSON.parse(process.env.BENCH_API_EXEC_ARGV ?? '[]'),
});
let listening = 0;
let stopping = false;
cluster.on('listening', (_worker, address) => {
  // Each worker also listens on its metrics port; only the API's own counts.
  if (address.port === port && ++listening === processes) console.log(`[cluster] ${processes} workers listening`);
});
cluster.on('exit', (worker, code) => {
  if (stopping) {
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
    return;
  }
  console.error(`[cluster] worker ${worker.process.pid} exited with ${code}`);
  process.exit(1);
});
for (let i = 0; i < processes; i++) cluster.fork();
process.on('SIGTERM', () => {
  stopping = true;
  for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
});
