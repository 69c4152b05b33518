import { performance } from 'node:perf_hooks';
import { openLoop } from './load.ts';
import { type CpuShare, cpuMeter } from './processes.ts';
import { type Summary, summarize } from './stats.ts';
import { membersOf, type Target, type Topology } from './targets.ts';

export interface Step {
  rate: number;
  sent: number;
  /** Sends not answered 201, plus (Parley) rows missing from the database. */
  lost: number;
  duplicated: number;
  latency: Summary;
  achieved: number;
  lateFires: number;
  pass: boolean;
  saturated: boolean;
  /** Non-201 answers by status (0: no answer). */
  errorStatuses: Record<string, number>;
  cpu?: CpuShare;
}

/**
 * Raises the send rate step by step (no sockets listening: this is the persistence path) and stops
 * after the first step whose p99 (scheduled time → 201) passes `p99LimitMs` or that loses a message.
 * `verify` counts the stored rows carrying a step's tag (Parley), so loss means "not in the database".
 */
export async function sustainedSteps(options: {
  target: Target;
  topology: Topology;
  rates: number[];
  stepMs: number;
  p99LimitMs: number;
  tag: string;
  serverPid: number;
  verify?: (prefix: string) => Promise<{ rows: number; distinct: number }>;
}): Promise<Step[]> {
  const steps: Step[] = [];
  const { topology } = options;
  for (const rate of options.rates) {
    const prefix = `${options.tag}r${rate}:`;
    const latencies: number[] = [];
    let failed = 0;
    const errorStatuses: Record<string, number> = {};
    const t0 = performance.now();
    const meter = cpuMeter(options.serverPid);
    const { sent, lateFires, saturated } = await openLoop({
      rate,
      maxOutstanding: Math.max(200, rate * 5),
      durationMs: options.stepMs,
      fire: async (i, scheduledAt) => {
        const conversation = i % topology.users;
        const members = membersOf(topology, conversation);
        const author = members[Math.floor(i / topology.users) % members.length]!;
        const status = await options.target.send(conversation, author, `${prefix}${i}:${scheduledAt.toFixed(3)}`);
        latencies.push(performance.now() - scheduledAt);
        if (status !== 201) {
          failed++;
          errorStatuses[status] = (errorStatuses[status] ?? 0) + 1;
        }
      },
    });
    const cpu = meter();
    const elapsed = performance.now() - t0;
    let lost = failed;
    let duplicated = 0;
    if (options.verify) {
      const { rows, distinct } = await options.verify(prefix);
      lost = Math.max(failed, sent - distinct);
      duplicated = rows - distinct;
    }
    const latency = summarize(latencies);
    const pass = !saturated && latency.p99 <= options.p99LimitMs && lost === 0 && duplicated === 0;
    steps.push({
      rate,
      sent,
      lost,
      duplicated,
      latency,
      achieved: (sent / elapsed) * 1000,
      lateFires,
      pass,
      cpu,
      saturated,
      errorStatuses,
    });
    if (!pass) break;
  }
  return steps;
}

/** The highest step that passed, 0 when none did. */
export const bestRate = (steps: Step[]) => steps.filter((s) => s.pass).reduce((best, s) => Math.max(best, s.rate), 0);
