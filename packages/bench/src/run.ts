/**
 * The benchmark suite (issue 7): starts what it measures, prints a table and writes it to
 * docs/benchmarks.md. `--quick` runs tiny versions of every workload (CI: does the suite still work?).
 *
 *   pnpm bench                      full suite (~6–8 min), rewrites docs/benchmarks.md
 *   pnpm bench -- --quick           < 1 min, prints and writes a temp file only
 *   options: --only=fanout,sustained,history,catchup,search,idle,cross,coldstart  --profile  --keep-db
 *            --api=auto|dist|src|<bundle.js>  --out=<file>  --processes=N
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { seedCatchUp } from './catchup.ts';
import { type FanoutResult, fanoutPhase, Receivers, warmUp } from './fanout.ts';
import { openLatency, pageReads, type ReadsResult, seedHistory } from './history.ts';
import { idleSockets } from './idle.ts';
import { type LighthouseResult, type Preset, runLighthouse, seedLighthouseSite } from './lighthouse.ts';
import { sleep } from './load.ts';
import {
  apiEntry,
  type BenchDatabase,
  cpuMeter,
  createBenchDatabase,
  fmtCpu,
  killAll,
  type Running,
  redisPrefix,
  repoRoot,
  startApi,
  startBare,
} from './processes.ts';
import { summarizeProfile } from './profile.ts';
import { document, naRow, previousAnalysis, type Row, table, type Verdict, verdict } from './report.ts';
import { SEARCH_QUERIES, searchPlans, searchReads, seedSearch } from './search.ts';
import { median, ms } from './stats.ts';
import { bestRate, type Step, sustainedSteps } from './sustained.ts';
import {
  bareTarget,
  buildParleyWorld,
  membersOf,
  type ParleyWorld,
  parleyTarget,
  type Target,
  type Topology,
} from './targets.ts';

/** An environment gap (no Redis, no adapter yet): the row reads n/a, but the suite itself works. */
class Unavailable extends Error {}

const argv = process.argv.slice(2).filter((a) => a !== '--');
const flag = (name: string) => argv.includes(`--${name}`);
const option = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const unknown = argv.filter((a) => !/^--(quick|profile|keep-db|only|api|out|processes)(=|$)/.test(a));
if (unknown.length) {
  console.error(`unknown option(s): ${unknown.join(' ')}`);
  process.exit(2);
}
const quick = flag('quick');
const only = option('only')?.split(',');
const wants = (w: string) => !only || only.includes(w);
const apiPreference = option('api') ?? 'auto';
/** The API under fan-out, sustained, history and search as N cluster workers on Redis (ADR 048). */
const processes = Number(option('processes') ?? 1);

const config = quick
  ? {
      topology: { users: 20, membersPer: 10 } as Topology,
      fanoutRates: [20, 50],
      fanoutMs: 1_000,
      warmupMs: 500,
      sustainedRates: [50, 100],
      stepMs: 1_000,
      historyMessages: 1_000,
      historyMs: 1_000,
      idleSockets: 100,
      settleMs: 300,
      coldRuns: 1,
      crossRate: 50,
      search: { messages: 2_000, conversations: 20, durationMs: 1_000 },
      lighthouseRuns: 1,
    }
  : {
      topology: { users: 100, membersPer: 10 } as Topology,
      fanoutRates: [200, 1_000],
      fanoutMs: 10_000,
      warmupMs: 2_000,
      sustainedRates: [500, 1_000, 2_000, 3_000, 4_000, 5_000],
      stepMs: 4_000,
      historyMessages: 10_000,
      historyMs: 10_000,
      idleSockets: 10_000,
      settleMs: 2_000,
      coldRuns: 5,
      crossRate: 1_000,
      search: { messages: 100_000, conversations: 200, durationMs: 10_000 },
      lighthouseRuns: 3,
    };

/** The API's cap on one user's sockets (API.md, Socket.IO). */
const SOCKETS_PER_USER = 20;

const profileDir = flag('profile') ? path.join(os.tmpdir(), `parley-bench-profiles-${Date.now()}`) : undefined;
const profileArgs = (name: string) =>
  profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.join(profileDir, name)}`] : [];

const rows: Row[] = [];
const judge = (clean: boolean, met: boolean) => verdict(quick, clean, met);
/** A figure reported without a target. */
const reported: Verdict = quick ? 'smoke' : 'info';
const details: string[] = [];
const log = (...args: unknown[]) => console.error('[bench]', ...args);
const fmtRate = (r: number) => `${r.toLocaleString('en-US')} msg/s`;
const ratio = (a: number, b: number) => (Number.isFinite(a / b) && b > 0 ? `${(a / b).toFixed(2)}×` : '–');

function fanoutDetails(title: string, results: { name: string; r: FanoutResult }[]) {
  details.push(
    `### ${title}`,
    '',
    '| server | rate | sent | send errors | deliveries expected | lost | duplicated | misrouted | out of order | p50 | p99 | max | late sends (>5 ms) | CPU server / Postgres / generator |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...results.map(
      ({ name, r }) =>
        `| ${name} | ${fmtRate(r.rate)}${r.saturated ? ' (stopped: > 5 s of sends unanswered)' : ''} | ${r.sent} | ${r.sendErrors}${
          r.sendErrors
            ? ` (${Object.entries(r.errorStatuses)
                .map(([k, v]) => `${k}: ${v}`)
                .join(', ')})`
            : ''
        } | ${r.expected} | ${r.lost} | ${r.duplicated} | ${r.misrouted} | ${r.outOfOrder} | ${ms(r.latency.p50)} | ${ms(r.latency.p99)} | ${ms(r.latency.max)} | ${r.lateFires} | ${fmtCpu(r.cpu)} |`,
    ),
    '',
  );
}

async function measuredFanout(server: Running, run: () => Promise<FanoutResult>): Promise<FanoutResult> {
  const meter = cpuMeter(server.pid);
  const result = await run();
  result.cpu = meter();
  return result;
}

const fanoutWorkload = (rate: number) =>
  `${config.topology.users} users, ${config.topology.users} conversations of ${config.topology.membersPer}, one socket each, REST sends at ${fmtRate(rate)}`;

/** The catch-up row: pages of this many events, from this many points, over a log of this many rounds. */
const CATCH_UP_EVENTS = 200;
const CATCH_UP_AFTERS = 4;
const CATCH_UP_ROUNDS = 110;

/** A read row's figures: Parley beside the baseline, by throughput and latency. */
function readFigures(p: ReadsResult, b: ReadsResult) {
  return {
    parley: `${p.perSecond.toFixed(0)} req/s, p50 ${ms(p.latency.p50)}, p99 ${ms(p.latency.p99)}${p.errors ? `, ${p.errors} errors` : ''}`,
    baseline: `${b.perSecond.toFixed(0)} req/s, p50 ${ms(b.latency.p50)}, p99 ${ms(b.latency.p99)}`,
    ratio: `req/s ${ratio(p.perSecond, b.perSecond)}, p99 ${ratio(p.latency.p99, b.latency.p99)}`,
  };
}

async function redisReachable(url: string): Promise<boolean> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(u.port || 6379), u.hostname);
    socket.setTimeout(1_000, () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('connect', () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Deletes this run's Redis keys (one EVAL in the Redis protocol; the suite needs no Redis client). */
function dropRedisKeys(url: string, prefix: string): Promise<void> {
  const u = new URL(url);
  const args = [
    'EVAL',
    "for _, k in ipairs(redis.call('KEYS', ARGV[1])) do redis.call('DEL', k) end",
    '0',
    `${prefix}:*`,
  ];
  const command = `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
  return new Promise((resolve) => {
    const socket = net.connect(Number(u.port || 6379), u.hostname, () => socket.write(command));
    socket.setTimeout(2_000, () => socket.destroy());
    socket.once('data', () => socket.end());
    socket.once('close', () => resolve());
    socket.once('error', () => resolve());
  });
}

async function main() {
  const started = performance.now();
  // Other work on this shared machine: sampled through the run and reported with the results.
  const loadSamples: number[] = [];
  const loadAtStart = os.loadavg()[0]!;
  const sampler = setInterval(() => loadSamples.push(os.loadavg()[0]!), 2_000);
  sampler.unref();
  const entry = apiEntry(apiPreference);
  log(`API: ${entry.note}; ${quick ? 'smoke run (--quick): no target is judged' : 'full run'}`);
  const db: BenchDatabase = await createBenchDatabase();
  log(`database ${db.name} on ${db.server}`);
  const running = new Set<Running>();
  const track = async (p: Promise<Running>) => {
    const r = await p;
    running.add(r);
    return r;
  };
  const stop = async (r: Running) => {
    running.delete(r);
    await r.stop();
  };
  let suiteBroken = false;
  const attempt = async (figure: string, workload: string, target: string, fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (err) {
      if (!(err instanceof Unavailable)) suiteBroken = true;
      log(`${figure}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      rows.push(naRow(figure, workload, target, err instanceof Error ? err.message : String(err)));
    }
  };

  const { topology } = config;
  let singleReplicaP99: number | undefined;
  // These rows share one API, one bare server and one set of users; a run of other rows skips them.
  const sharedWorld = ['fanout', 'sustained', 'history', 'catchup', 'search', 'idle', 'cross'].some(wants);
  if (sharedWorld)
    try {
      const api = await track(
        startApi({
          name: 'api',
          databaseUrl: db.url,
          entry,
          nodeArgs: profileArgs('api'),
          processes,
          redisUrl: processes > 1 ? (process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379') : undefined,
        }),
      );
      const bareServer = await track(startBare());
      const runTag = Math.random().toString(36).slice(2, 7);
      const t0 = performance.now();
      const world: ParleyWorld = await buildParleyWorld(api.url, topology, runTag);
      log(`${topology.users} users and conversations in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      const parley = parleyTarget(api.url, world);
      const bare = bareTarget(bareServer.url, topology);

      /**
       * One read workload against both servers: Parley's answer to worker 0's path becomes the bare
       * server's fixture (so both send the same bytes), a short warm-up of each, then the measured
       * runs with the servers' CPU. Writes the row's details table.
       */
      const comparedReads = async (
        title: string,
        options: { path: (t: Target, worker: number) => string; fixture: string; readers: number[] },
      ) => {
        const first = await parley.http.request(
          'GET',
          options.path(parley, 0),
          undefined,
          parley.readHeaders(options.readers[0]!),
        );
        if (first.status !== 200) throw new Error(`${title}: answered ${first.status} ${first.body.slice(0, 200)}`);
        await bare.http.request('PUT', options.fixture, JSON.parse(first.body));
        const opts = (t: Target, durationMs: number) => ({
          target: t,
          path: (worker: number) => options.path(t, worker),
          readers: options.readers,
          concurrency: 20,
          durationMs,
        });
        await pageReads(opts(bare, 300));
        await pageReads(opts(parley, 300));
        log(`${title}: bare`);
        const bareMeter = cpuMeter(bareServer.pid);
        const b = await pageReads(opts(bare, config.historyMs));
        const bareCpu = bareMeter();
        log(`${title}: parley`);
        const parleyMeter = cpuMeter(api.pid);
        const p = await pageReads(opts(parley, config.historyMs));
        const parleyCpu = parleyMeter();
        details.push(
          `### ${title}`,
          '',
          `Page size ${p.bytes} bytes (the bare server answers the same bytes from memory). CPU in cores (100% = one core busy).`,
          '',
          '| server | requests | errors | req/s | p50 | p99 | max | CPU server / Postgres / generator | server CPU per request |',
          '|---|---|---|---|---|---|---|---|---|',
          ...(
            [
              ['bare', b, bareCpu],
              ['parley', p, parleyCpu],
            ] as const
          ).map(
            ([name, r, cpu]) =>
              `| ${name} | ${r.requests} | ${r.errors} | ${r.perSecond.toFixed(0)} | ${ms(r.latency.p50)} | ${ms(r.latency.p99)} | ${ms(r.latency.max)} | ${fmtCpu(cpu)} | ${((cpu.server / r.perSecond) * 1000).toFixed(2)} ms |`,
          ),
          '',
        );
        return { p, b };
      };

      if (wants('fanout')) {
        const target = 'p99 at 1,000 msg/s ≤ 6× bare p99; 0 lost, 0 duplicated, 0 out of order';
        await attempt('fan-out latency p50 / p99', fanoutWorkload(config.fanoutRates[1]!), target, async () => {
          const results: { name: string; r: FanoutResult }[] = [];
          const byRate = new Map<number, { parley?: FanoutResult; bare?: FanoutResult }>();
          for (const [name, t, server] of [
            ['bare', bare, bareServer],
            ['parley', parley, api],
          ] as const) {
            const receivers = await Receivers.connect(t, topology);
            await warmUp(t, receivers, topology, `${name}${runTag}`);
            for (const rate of config.fanoutRates) {
              log(`fan-out ${name} ${rate} msg/s`);
              const r = await measuredFanout(server, () =>
                fanoutPhase({
                  tag: `${name}${runTag}f${rate}`,
                  sender: t,
                  receivers,
                  topology,
                  rate,
                  durationMs: config.fanoutMs,
                  warmupMs: config.warmupMs,
                }),
              );
              results.push({ name, r });
              byRate.set(rate, { ...byRate.get(rate), [name]: r });
            }
            receivers.close();
            await sleep(500);
          }
          fanoutDetails('Fan-out', results);
          for (const t of [bare, parley]) {
            if (t.http.failures.size) {
              details.push(
                `HTTP failures (${t.name}): ${[...t.http.failures].map(([k, v]) => `${k} × ${v}`).join(', ')}.`,
                '',
              );
            }
          }
          const [low, high] = config.fanoutRates as [number, number];
          for (const rate of [low, high]) {
            const { parley: p, bare: b } = byRate.get(rate)!;
            const clean =
              !p!.saturated &&
              p!.lost === 0 &&
              p!.duplicated === 0 &&
              p!.misrouted === 0 &&
              p!.outOfOrder === 0 &&
              p!.sendErrors === 0;
            const withinRatio = p!.latency.p99 <= 6 * b!.latency.p99;
            rows.push({
              figure: `fan-out latency p50 / p99 @ ${fmtRate(rate)}`,
              workload: fanoutWorkload(rate),
              parley: `${ms(p!.latency.p50)} / ${ms(p!.latency.p99)}; lost ${p!.lost}, dup ${p!.duplicated}, out of order ${p!.outOfOrder}${p!.saturated ? '; saturated (stopped early)' : ''}`,
              baseline: `${ms(b!.latency.p50)} / ${ms(b!.latency.p99)}; lost ${b!.lost}, dup ${b!.duplicated}`,
              ratio: `p99 ${ratio(p!.latency.p99, b!.latency.p99)}`,
              target: rate === high ? target : '0 lost, 0 duplicated, 0 out of order',
              verdict: judge(clean, rate !== high || withinRatio),
            });
          }
          singleReplicaP99 = byRate.get(high)!.parley!.latency.p99;
        });
      }

      if (wants('sustained')) {
        const target = '≥ 2,000 msg/s with p99 ≤ 50 ms, 0 lost (stretch 5,000)';
        const workload = `open-loop REST sends over ${topology.users} conversations, steps of ${config.stepMs / 1000} s: ${config.sustainedRates.join(', ')} msg/s; stop at p99 (scheduled → 201) > 50 ms or a loss`;
        await attempt('sustained persisted sends', workload, target, async () => {
          const verify = async (prefix: string) => {
            const { rows: r } = await db.query<{ rows: string; distinct: string }>(
              'select count(*) as rows, count(distinct content) as distinct from messages where content like $1',
              [`${prefix}%`],
            );
            return { rows: Number(r[0]!.rows), distinct: Number(r[0]!.distinct) };
          };
          log('sustained bare');
          const bareSteps = await sustainedSteps({
            target: bare,
            topology,
            rates: config.sustainedRates,
            stepMs: config.stepMs,
            p99LimitMs: 50,
            tag: `sb${runTag}`,
            serverPid: bareServer.pid,
          });
          log('sustained parley');
          const parleySteps = await sustainedSteps({
            target: parley,
            topology,
            rates: config.sustainedRates,
            stepMs: config.stepMs,
            p99LimitMs: 50,
            tag: `sp${runTag}`,
            serverPid: api.pid,
            verify,
          });
          const stepRows = (name: string, steps: Step[]) =>
            steps.map(
              (s) =>
                `| ${name} | ${fmtRate(s.rate)}${s.saturated ? ' (stopped: > 5 s of sends unanswered)' : ''} | ${s.achieved.toFixed(0)} | ${s.sent} | ${s.lost}${
                  Object.keys(s.errorStatuses).length
                    ? ` (answers ${Object.entries(s.errorStatuses)
                        .map(([k, v]) => `${k}: ${v}`)
                        .join(', ')})`
                    : ''
                } | ${s.duplicated} | ${ms(s.latency.p50)} | ${ms(s.latency.p99)} | ${ms(s.latency.max)} | ${s.lateFires} | ${fmtCpu(s.cpu)} | ${s.cpu ? ((s.cpu.server / s.achieved) * 1000).toFixed(2) : '–'} ms | ${s.pass ? 'yes' : 'no'} |`,
            );
          details.push(
            '### Sustained persisted sends',
            '',
            'No sockets listening (the persistence path alone). CPU in cores (100% = one core busy); server CPU per send = server CPU ÷ achieved rate.',
            '',
            '| server | scheduled rate | achieved send rate | sent | lost | duplicated | p50 | p99 | max | late sends | CPU server / Postgres / generator | server CPU per send | within target |',
            '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
            ...stepRows('bare', bareSteps),
            ...stepRows('parley', parleySteps),
            '',
          );
          const best = bestRate(parleySteps);
          const bareBest = bestRate(bareSteps);
          const top = config.sustainedRates.at(-1)!;
          rows.push({
            figure: 'sustained persisted sends',
            workload,
            parley: `${fmtRate(best)}${best === top ? ' (top step)' : ''}`,
            baseline: `${fmtRate(bareBest)}${bareBest === top ? ' (top step)' : ''}`,
            ratio: ratio(best, bareBest),
            target,
            // The steps stop at the first that loses a send, so a loss above 2,000 msg/s misses no target.
            verdict: judge(
              parleySteps.every((s) => s.rate > 2_000 || (s.lost === 0 && s.duplicated === 0)),
              best >= 2_000,
            ),
          });
        });
      }

      if (wants('history')) {
        const target = '≥ 3,000 req/s, p99 ≤ 25 ms';
        const workload = `\`GET …/messages?limit=50\` of a ${config.historyMessages.toLocaleString('en-US')}-message conversation, 20 concurrent closed-loop clients, ${config.historyMs / 1000} s`;
        await attempt('history reads', workload, target, async () => {
          await seedHistory(db, world.conversationIds[0]!, config.historyMessages);
          const readers = Array.from({ length: topology.membersPer }, (_, k) => k);
          const { p, b } = await comparedReads('History reads', {
            path: (t) => t.historyPath(0),
            fixture: '/history',
            readers,
          });
          rows.push({
            figure: 'history reads',
            workload,
            ...readFigures(p, b),
            target,
            verdict: judge(p.errors === 0, p.perSecond >= 3_000 && p.latency.p99 <= 25),
          });
          const openP = await openLatency(parley, 0, 0, quick ? 5 : 50);
          const openB = await openLatency(bare, 0, 0, quick ? 5 : 50);
          rows.push({
            figure: 'open a long conversation',
            workload: `first page (newest 50) of the ${config.historyMessages.toLocaleString('en-US')}-message conversation, one request at a time`,
            parley: `p50 ${ms(openP.p50)}, p99 ${ms(openP.p99)}`,
            baseline: `p50 ${ms(openB.p50)}, p99 ${ms(openB.p99)}`,
            ratio: `p50 ${ratio(openP.p50, openB.p50)}`,
            target: '— (reported)',
            verdict: reported,
          });
        });
      }

      if (wants('catchup')) {
        const target = '≥ 1,000 req/s';
        const workload = `\`GET …/events?after=…&limit=${CATCH_UP_EVENTS}\` of a conversation of sends, edits, reactions and receipts (${CATCH_UP_ROUNDS} rounds), ${CATCH_UP_AFTERS} different \`after\`s, 20 concurrent closed-loop clients, ${config.historyMs / 1000} s`;
        await attempt('catch-up reads', workload, target, async () => {
          const members = membersOf(topology, 1);
          const t1 = performance.now();
          const lastSeq = await seedCatchUp({
            http: parley.http,
            world,
            conversationId: world.conversationIds[1]!,
            members,
            rounds: CATCH_UP_ROUNDS,
          });
          log(`catch-up: ${lastSeq} events seeded in ${((performance.now() - t1) / 1000).toFixed(1)} s`);
          if (lastSeq < CATCH_UP_EVENTS + CATCH_UP_AFTERS) throw new Error(`catch-up seed made only ${lastSeq} events`);
          // Each client catches up from one of a few points, each page exactly CATCH_UP_EVENTS long.
          const afterOf = (worker: number) => lastSeq - CATCH_UP_EVENTS - (worker % CATCH_UP_AFTERS);
          const { p, b } = await comparedReads('Catch-up reads', {
            path: (t, worker) => t.eventsPath(1, afterOf(worker), CATCH_UP_EVENTS),
            fixture: '/events',
            readers: members,
          });
          rows.push({
            figure: 'catch-up reads',
            workload,
            ...readFigures(p, b),
            target,
            verdict: judge(p.errors === 0, p.perSecond >= 1_000),
          });
        });
      }

      if (wants('search')) {
        const target = 'p99 ≤ 50 ms';
        const { messages, conversations, durationMs } = config.search;
        const clients = 10;
        const workload = `\`GET /api/search\` over ${messages.toLocaleString('en-US')} messages in ${conversations} conversations of ${topology.membersPer}, ${clients} concurrent closed-loop clients (each another user), prefix, phrase and CJK queries in turns, ${durationMs / 1000} s`;
        await attempt('search', workload, target, async () => {
          const t1 = performance.now();
          await seedSearch(db, world.userIds, { conversations, membersPer: topology.membersPer, messages });
          log(`search: ${messages} messages seeded in ${((performance.now() - t1) / 1000).toFixed(1)} s`);
          const cookies = world.cookies.slice(0, clients);
          await searchReads({ target: parley, cookies, concurrency: clients, durationMs: 300 });
          log('search parley');
          const meter = cpuMeter(api.pid);
          const r = await searchReads({ target: parley, cookies, concurrency: clients, durationMs });
          const cpu = meter();
          const plans = await searchPlans(db, world.userIds[0]!);
          details.push(
            '### Search',
            '',
            `Queries in turns: ${SEARCH_QUERIES.map((q) => `\`${q.q}\` (${q.kind})`).join(', ')}. Each searcher is a member of ${Math.round((conversations * Math.min(topology.membersPer, topology.users)) / topology.users)} of the ${conversations} conversations. CPU in cores.`,
            '',
            '| kind | requests | mean results per page | p50 | p99 | max |',
            '|---|---|---|---|---|---|',
            ...Object.entries(r.byKind).map(
              ([kind, l]) =>
                `| ${kind} | ${l.count} | ${(r.meanResults[kind] ?? 0).toFixed(1)} | ${ms(l.p50)} | ${ms(l.p99)} | ${ms(l.max)} |`,
            ),
            `| all | ${r.requests} (${r.perSecond.toFixed(0)} req/s, ${r.errors} errors) | | ${ms(r.latency.p50)} | ${ms(r.latency.p99)} | ${ms(r.latency.max)} |`,
            '',
            `CPU server / Postgres / generator: ${fmtCpu(cpu)}.`,
            '',
            'Query plans (EXPLAIN ANALYZE of the statement the API runs, as the first searcher):',
            '',
            ...Object.entries(plans).flatMap(([name, plan]) => [`${name}:`, '', '```', plan, '```', '']),
          );
          const emptyKinds = Object.entries(r.meanResults).filter(([, n]) => n === 0);
          rows.push({
            figure: 'search',
            workload,
            parley: `${r.perSecond.toFixed(0)} req/s, p50 ${ms(r.latency.p50)}, p99 ${ms(r.latency.p99)}${r.errors ? `, ${r.errors} errors` : ''}${emptyKinds.length ? `; no results for ${emptyKinds.map(([k]) => k).join(', ')}` : ''}`,
            baseline: '– (no search in the baseline)',
            ratio: '–',
            target,
            verdict: judge(r.errors === 0 && emptyKinds.length === 0, r.latency.p99 <= 50),
          });
        });
      }

      await stop(api);
      await stop(bareServer);
      parley.http.close();
      bare.http.close();

      if (wants('idle')) {
        // Each socket is a file descriptor here and in the server; Node cannot raise its own limit.
        const limit = Number(
          /Max open files\s+(\d+)/.exec(readFileSync('/proc/self/limits', 'utf8'))?.[1] ?? 1_000_000,
        );
        if (config.idleSockets > limit - 500) {
          log(`ulimit -n is ${limit}: idle sockets capped at ${limit - 500} (raise it with \`ulimit -n\`)`);
          config.idleSockets = Math.max(100, limit - 500);
        }
        const target = '≤ 1.5× the bare figure';
        const sessions = Math.max(topology.users, Math.ceil(config.idleSockets / SOCKETS_PER_USER));
        const workload = `${config.idleSockets.toLocaleString('en-US')} idle sockets (${Math.min(config.idleSockets, sessions)} sessions reused, at most ${SOCKETS_PER_USER} per user), server VmRSS growth ÷ sockets`;
        await attempt('idle sockets', workload, target, async () => {
          const results: Record<string, Awaited<ReturnType<typeof idleSockets>>> = {};
          for (const name of ['bare', 'parley'] as const) {
            const server = await track(
              name === 'bare' ? startBare('bare-idle') : startApi({ name: 'api-idle', databaseUrl: db.url, entry }),
            );
            // The API takes at most 20 sockets per user (API.md, Socket.IO): enough people for them all.
            const idleUsers = Math.max(topology.users, Math.ceil(config.idleSockets / SOCKETS_PER_USER));
            const idleWorld =
              name === 'parley' && idleUsers > topology.users
                ? await buildParleyWorld(server.url, { users: idleUsers, membersPer: 2 }, `${runTag}i`)
                : world;
            const t = name === 'bare' ? bareTarget(server.url, topology) : parleyTarget(server.url, idleWorld);
            log(`idle sockets ${name}`);
            results[name] = await idleSockets({
              server,
              target: t,
              users: name === 'parley' ? idleUsers : topology.users,
              count: config.idleSockets,
              settleMs: config.settleMs,
            });
            t.http.close();
            await stop(server);
          }
          const { parley: p, bare: b } = results as Record<'parley' | 'bare', (typeof results)[string]>;
          details.push(
            '### Idle sockets',
            '',
            '| server | sockets | VmRSS before | VmRSS after | per socket | time to connect all |',
            '|---|---|---|---|---|---|',
            ...(['bare', 'parley'] as const).map((n) => {
              const r = results[n]!;
              return `| ${n} | ${r.sockets} | ${(r.rssBeforeKb / 1024).toFixed(1)} MiB | ${(r.rssAfterKb / 1024).toFixed(1)} MiB | ${r.perSocketKb.toFixed(1)} KiB | ${(r.connectMs / 1000).toFixed(1)} s |`;
            }),
            '',
          );
          rows.push({
            figure: 'idle sockets',
            workload,
            parley: `${p!.perSocketKb.toFixed(1)} KiB/socket`,
            baseline: `${b!.perSocketKb.toFixed(1)} KiB/socket`,
            ratio: ratio(p!.perSocketKb, b!.perSocketKb),
            target,
            verdict: judge(true, p!.perSocketKb <= 1.5 * b!.perSocketKb),
          });
        });
      }

      if (wants('cross')) {
        const target = 'p99 ≤ 2× the single-replica p99';
        const workload = `the fan-out workload at ${fmtRate(config.crossRate)}, senders on replica A, sockets on replica B (Redis adapter)`;
        await attempt('cross-replica fan-out p50 / p99', workload, target, async () => {
          const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
          if (!(await redisReachable(redisUrl))) throw new Unavailable(`Redis not reachable at ${redisUrl}`);
          const a = await track(
            startApi({ name: 'api-a', databaseUrl: db.url, entry, redisUrl, nodeArgs: profileArgs('api-a') }),
          );
          const b = await track(
            startApi({ name: 'api-b', databaseUrl: db.url, entry, redisUrl, nodeArgs: profileArgs('api-b') }),
          );
          const senderA = parleyTarget(a.url, world);
          const readerB = parleyTarget(b.url, world);
          const receivers = await Receivers.connect(readerB, topology);
          try {
            try {
              await warmUp(senderA, receivers, topology, `x${runTag}`);
            } catch {
              throw new Unavailable(
                'messages sent on replica A never reached sockets on replica B: no cross-replica adapter',
              );
            }
            log('cross-replica');
            const result = await measuredFanout(a, () =>
              fanoutPhase({
                tag: `x${runTag}m`,
                sender: senderA,
                receivers,
                topology,
                rate: config.crossRate,
                durationMs: config.fanoutMs,
                warmupMs: config.warmupMs,
              }),
            );
            fanoutDetails('Cross-replica (server CPU is replica A)', [{ name: 'parley A→B', r: result }]);
            const single = config.crossRate === config.fanoutRates[1] ? singleReplicaP99 : undefined;
            const clean = !result.saturated && result.lost === 0 && result.duplicated === 0 && result.sendErrors === 0;
            rows.push({
              figure: 'cross-replica fan-out p50 / p99',
              workload,
              parley: `${ms(result.latency.p50)} / ${ms(result.latency.p99)}; lost ${result.lost}, dup ${result.duplicated}${result.saturated ? '; saturated (stopped early)' : ''}`,
              baseline: single === undefined ? '– (no single-replica run)' : `single replica p99 ${ms(single)}`,
              ratio: single === undefined ? '–' : `p99 ${ratio(result.latency.p99, single)}`,
              target,
              verdict:
                single === undefined && !quick
                  ? 'info'
                  : judge(clean, single !== undefined && result.latency.p99 <= 2 * single),
            });
          } finally {
            receivers.close();
            senderA.http.close();
            readerB.http.close();
            await stop(a);
            await stop(b);
          }
        });
      }
    } catch (err) {
      suiteBroken = true;
      log(`setup failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      rows.push(naRow('setup', 'start the API and the bare server, sign up users', '–', String(err)));
    }

  if (wants('coldstart')) {
    const target = '≤ 400 ms';
    const workload = `process start → first \`200\` from \`/readyz\`, external Postgres (migrated), median of ${config.coldRuns}`;
    await attempt('cold start', workload, target, async () => {
      const apiTimes: number[] = [];
      const bareTimes: number[] = [];
      let probe = '';
      for (let i = 0; i < config.coldRuns; i++) {
        const b = await startBare('bare-cold');
        bareTimes.push(b.startMs);
        await b.stop();
        const a = await startApi({ name: 'api-cold', databaseUrl: db.url, entry });
        apiTimes.push(a.startMs);
        probe = a.readyProbe;
        await a.stop();
      }
      const p = median(apiTimes);
      const b = median(bareTimes);
      details.push(
        '### Cold start',
        '',
        `Readiness probe: ${probe}. API entry: ${entry.note}. The bare server starts through the tsx loader (its TypeScript is transpiled on the fly, cached after the first run).`,
        '',
        `Parley runs: ${apiTimes.map((t) => ms(t)).join(', ')}; bare runs: ${bareTimes.map((t) => ms(t)).join(', ')}.`,
        '',
      );
      rows.push({
        figure: 'cold start',
        workload: probe.includes('readyz') ? workload : `${workload} (probe: ${probe})`,
        parley: ms(p),
        baseline: ms(b),
        ratio: ratio(p, b),
        target,
        verdict: judge(true, p <= 400),
      });
    });
  }

  if (wants('lighthouse')) {
    const workload = (page: string, preset: Preset) =>
      `Lighthouse 12.2.3, ${preset} preset, \`${page}\`, system Chromium, API serving the built web app (\`WEB_DIST\`)`;
    const target = 'Performance ≥ 95, Accessibility 100, Best Practices 100';
    const jsTarget = '≤ 120 KiB';
    await attempt('lighthouse', workload('/c/<id>', 'mobile'), target, async () => {
      const webDist = path.join(repoRoot, 'apps/web/dist');
      if (!existsSync(path.join(webDist, 'index.html'))) throw new Error('apps/web/dist is missing: run `pnpm build`');
      const server = await track(startApi({ name: 'api-web', databaseUrl: db.url, entry, webDist }));
      try {
        const site = await seedLighthouseSite(server.url, Math.random().toString(36).slice(2, 7), 40);
        // A quick run proves the wiring on the page that needs a session; the full run does all four.
        const runs: { page: string; preset: Preset }[] = quick
          ? [{ page: '/c/<id>', preset: 'mobile' }]
          : (['mobile', 'desktop'] as const).flatMap((preset) => [
              { page: '/login', preset },
              { page: '/c/<id>', preset },
            ]);
        const results: LighthouseResult[] = [];
        for (const run of runs) {
          log(`lighthouse ${run.preset} ${run.page}`);
          const signedIn = run.page !== '/login';
          const result = await runLighthouse(
            {
              ...run,
              url: `${server.url}${signedIn ? `/c/${site.conversationId}` : '/login'}`,
              ...(signedIn ? { cookie: site.cookie } : {}),
            },
            config.lighthouseRuns,
          );
          log(`lighthouse report: ${result.reportFile}`);
          results.push(result);
        }
        const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
        details.push(
          '### Lighthouse',
          '',
          `${config.lighthouseRuns === 1 ? 'One navigation' : `${config.lighthouseRuns} navigations, each in a fresh browser,`} per page and preset (Lighthouse 12.2.3, simulated throttling, system Chromium \`--headless=new\`)${config.lighthouseRuns === 1 ? '' : ': every figure of a row is of the run with the median Performance score, and "runs" lists each run\'s score in the order run'}. The conversation holds 40 messages; the session cookie is put in the browser's cookie jar. JS before first paint: compressed bytes of the script requests that finished before the observed first contentful paint.`,
          '',
          '| page | preset | Performance | runs | Accessibility | Best Practices | FCP | LCP | TBT | JS before first paint | audits below 0.9 |',
          '|---|---|---|---|---|---|---|---|---|---|---|',
          ...results.map(
            (r) =>
              `| \`${r.page}\` | ${r.preset} | ${r.performance} | ${r.performanceRuns.join(', ')} | ${r.accessibility} | ${r.bestPractices} | ${ms(r.fcpMs)} | ${ms(r.lcpMs)} | ${ms(r.tbtMs)} | ${kib(r.jsBeforePaint)} (${r.scriptsBeforePaint.map((s) => `${s.url.replace(/^\/assets\//, '')} ${kib(s.bytes)}`).join(', ')}) | ${r.failing.join('; ') || '–'} |`,
          ),
          '',
        );
        for (const r of results) {
          rows.push({
            figure: `Lighthouse ${r.preset} \`${r.page}\``,
            workload: workload(r.page, r.preset),
            parley: `Performance ${r.performance}${r.performanceRuns.length > 1 ? ` (median of ${r.performanceRuns.join(', ')})` : ''}, Accessibility ${r.accessibility}, Best Practices ${r.bestPractices}; FCP ${ms(r.fcpMs)}, LCP ${ms(r.lcpMs)}, TBT ${ms(r.tbtMs)}`,
            baseline: '–',
            ratio: '–',
            target,
            verdict: quick
              ? 'smoke'
              : r.performance >= 95 && r.accessibility === 100 && r.bestPractices === 100
                ? 'pass'
                : 'fail',
          });
        }
        for (const r of results.filter((x) => x.page !== '/login')) {
          rows.push({
            figure: `JS before first paint, ${r.preset} \`${r.page}\``,
            workload: `${workload(r.page, r.preset)}: compressed script bytes finished before the first contentful paint`,
            parley: kib(r.jsBeforePaint),
            baseline: '–',
            ratio: '–',
            target: jsTarget,
            verdict: judge(true, r.jsBeforePaint <= 120 * 1024),
          });
        }
      } finally {
        await stop(server);
      }
    });
  }

  for (const r of running) await r.stop().catch(() => {});
  const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
  if (wants('cross') && (await redisReachable(redisUrl))) await dropRedisKeys(redisUrl, redisPrefix);
  if (flag('keep-db')) log(`kept database ${db.url}`);
  else await db.drop().catch((err) => log(`drop database: ${err}`));

  if (profileDir) {
    for (const dir of readdirSync(profileDir)) {
      for (const file of readdirSync(path.join(profileDir, dir))) {
        console.log(`\n## CPU profile ${dir}\n${summarizeProfile(path.join(profileDir, dir, file))}`);
      }
    }
  }

  clearInterval(sampler);
  const meanLoad = loadSamples.length ? loadSamples.reduce((a, b) => a + b, 0) / loadSamples.length : loadAtStart;
  const notes = [
    `Machine load (1-minute load average, ${os.cpus().length} cores): ${loadAtStart.toFixed(1)} at the start, ${meanLoad.toFixed(1)} on average during the run, ${os.loadavg()[0]!.toFixed(1)} at the end. A load above the core count means other processes (tests, browsers, builds of other engineers) took CPU from the servers and the load generator.`,
    `API under test: \`${entry.kind === 'dist' ? 'node apps/api/dist/index.js' : 'node --import tsx apps/api/src/index.ts'}\` (${entry.note}), \`NODE_ENV=production SEND_RATE_LIMIT=0 LOGIN_RATE_LIMIT=0 LOG_LEVEL=warn\`, a fresh database \`parley_bench_*\` on ${db.server}, dropped afterwards.${processes > 1 ? ` Fan-out, sustained, history and search ran against ${processes} cluster workers behind one port, on Redis (\`--processes=${processes}\`); server CPU is theirs and the primary's together.` : ''}`,
    'Load is open-loop: send i is due at start + i/rate whatever happened before; latency runs from that scheduled time to the moment the receiving socket handles `message:new` (or the HTTP answer, for sends and reads), so a stall is paid by every send it delays. Each content carries a unique id and its scheduled time; deliveries are counted per (message, receiver) for loss and duplicates, and a delivery whose `seq` is below one its receiver already got from that conversation counts as out of order (the bare server numbers its messages in emit order). The first seconds of each rate are a warm-up: checked for loss, not timed.',
    'The load generator (HTTP keep-alive agent, one socket.io-client per user) is this one Node process; the server under test, PostgreSQL and (cross-replica) Redis run beside it on the same 2 cores. At the higher rates the generator competes with the server for CPU: both Parley and the baseline pay that, which is why ratios matter more than absolute figures. "late sends" counts sends the generator fired > 5 ms behind schedule (its own saturation); they are still timed from the schedule.',
    '"Sustained persisted sends" has no sockets listening, so it measures the send path (HTTP, session, transaction, insert, re-read) rather than the generator\'s socket decoding; loss there means a send not answered 201 or a row missing from the database.',
    'Idle sockets: sessions are reused (many sockets per session), the server process is fresh, and its VmRSS (/proc/<pid>/status) is read after a warm-up batch and again after all sockets are connected and settled.',
  ];
  const outFile =
    option('out') ??
    (quick ? path.join(os.tmpdir(), 'parley-benchmarks-quick.md') : path.join(repoRoot, 'docs/benchmarks.md'));
  const doc = document({
    rows,
    details,
    notes,
    analysis: previousAnalysis(path.join(repoRoot, 'docs/benchmarks.md')),
    quick,
    durationS: (performance.now() - started) / 1000,
  });
  mkdirSync(path.dirname(outFile), { recursive: true });
  writeFileSync(outFile, doc);
  console.log(table(rows, { quick }));
  log(`written to ${outFile} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  if (suiteBroken) {
    log('the suite itself failed (a row errored for a reason other than a missing service)');
    process.exitCode = 1;
  }
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => {
    killAll();
    // Stray sockets or agents must not keep the run alive.
    setTimeout(() => process.exit(), 500).unref();
  });
