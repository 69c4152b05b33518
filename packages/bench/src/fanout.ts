import { performance } from 'node:perf_hooks';
import type { Socket } from 'socket.io-client';
import { openLoop, pool, sleep } from './load.ts';
import type { CpuShare } from './processes.ts';
import { type Summary, summarize } from './stats.ts';
import { membersOf, socketReady, type Target, type Topology } from './targets.ts';

/** One socket per user, each listening for `message:new` and handing it to the phase in progress. */
export class Receivers {
  sockets: Socket[] = [];
  private phase: Phase | undefined;

  static async connect(target: Target, topology: Topology, url?: string): Promise<Receivers> {
    const receivers = new Receivers();
    receivers.sockets = await pool(
      Array.from({ length: topology.users }, (_, u) => u),
      20,
      async (u) => {
        const socket = target.socket(u, url);
        socket.on('message:new', (message: { content: string; conversationId: number; seq: number }) =>
          receivers.phase?.receive(u, message.content, message.conversationId, message.seq),
        );
        await socketReady(socket);
        return socket;
      },
    );
    return receivers;
  }

  run(phase: Phase) {
    this.phase = phase;
  }

  close() {
    for (const s of this.sockets) s.disconnect();
    this.sockets = [];
  }
}

/** Deliveries of one measured phase: counted per (message, receiver). */
export class Phase {
  readonly counts: Uint8Array;
  readonly latencies: number[] = [];
  misrouted = 0;
  received = 0;
  /** Deliveries whose seq is below one this receiver already got from that conversation. */
  outOfOrder = 0;
  private readonly lastSeq = new Map<string, number>();
  private readonly prefix: string;

  constructor(
    readonly tag: string,
    readonly topology: Topology,
    readonly messages: number,
    private readonly measureFrom: number,
  ) {
    this.counts = new Uint8Array(messages * topology.users);
    this.prefix = `${tag}:`;
  }

  content(index: number, scheduledAt: number) {
    return `${this.prefix}${index}:${scheduledAt.toFixed(3)}`;
  }

  receive(user: number, content: string, conversationId: number, seq: number) {
    const now = performance.now();
    if (!content.startsWith(this.prefix)) return; // a message from an earlier phase
    const stream = `${user}:${conversationId}`;
    if (seq < (this.lastSeq.get(stream) ?? 0)) this.outOfOrder++;
    else this.lastSeq.set(stream, seq);
    const [, index, scheduled] = content.split(':');
    const i = Number(index);
    const slot = i * this.topology.users + user;
    this.received++;
    if (!membersOf(this.topology, i % this.topology.users).includes(user)) this.misrouted++;
    if (this.counts[slot]! < 255) this.counts[slot]!++;
    if (this.counts[slot] === 1 && i >= this.measureFrom) this.latencies.push(now - Number(scheduled));
  }

  expected(sent: number) {
    return sent * this.topology.membersPer;
  }

  tally(sent: number) {
    let delivered = 0;
    let duplicated = 0;
    for (let i = 0; i < sent; i++) {
      for (const u of membersOf(this.topology, i % this.topology.users)) {
        const c = this.counts[i * this.topology.users + u]!;
        if (c > 0) delivered++;
        if (c > 1) duplicated += c - 1;
      }
    }
    return { expected: this.expected(sent), delivered, lost: this.expected(sent) - delivered, duplicated };
  }
}

export interface FanoutResult {
  rate: number;
  sent: number;
  sendErrors: number;
  /** Non-201 answers by status (0: no answer, see the client's failures). */
  errorStatuses: Record<string, number>;
  expected: number;
  lost: number;
  duplicated: number;
  misrouted: number;
  /** Deliveries that reached a receiver after a later seq of the same conversation. */
  outOfOrder: number;
  latency: Summary;
  lateFires: number;
  /** Stopped early: more than 5 s worth of sends were unanswered. */
  saturated: boolean;
  cpu?: CpuShare;
}

/**
 * Posts messages open-loop at `rate` (message i into conversation i mod users, by its members in
 * turn) and counts what the receivers get. Latency: receive time − scheduled send time; the first
 * `warmupMs` are sent and checked for loss but not timed.
 */
export async function fanoutPhase(options: {
  tag: string;
  sender: Target;
  receivers: Receivers;
  topology: Topology;
  rate: number;
  durationMs: number;
  warmupMs: number;
  drainMs?: number;
}): Promise<FanoutResult> {
  const { sender, receivers, topology, rate } = options;
  const total = Math.max(1, Math.round((rate * (options.durationMs + options.warmupMs)) / 1000));
  const measureFrom = Math.round((rate * options.warmupMs) / 1000);
  const phase = new Phase(options.tag, topology, total, measureFrom);
  receivers.run(phase);
  let sendErrors = 0;
  const errorStatuses: Record<string, number> = {};
  const { sent, lateFires, saturated } = await openLoop({
    rate,
    maxOutstanding: Math.max(200, rate * 5),
    durationMs: options.durationMs + options.warmupMs,
    fire: async (i, scheduledAt) => {
      const conversation = i % topology.users;
      const members = membersOf(topology, conversation);
      const author = members[Math.floor(i / topology.users) % members.length]!;
      const status = await sender.send(conversation, author, phase.content(i, scheduledAt));
      if (status !== 201) {
        sendErrors++;
        errorStatuses[status] = (errorStatuses[status] ?? 0) + 1;
      }
    },
  });
  // Let the last deliveries arrive (or give up on them: they are lost).
  const expected = phase.expected(sent);
  const deadline = performance.now() + (options.drainMs ?? 5_000);
  while (phase.tally(sent).delivered < expected && performance.now() < deadline) await sleep(50);
  await sleep(200); // late duplicates
  const counts = phase.tally(sent);
  return {
    rate,
    sent,
    sendErrors,
    errorStatuses,
    expected,
    lost: counts.lost,
    duplicated: counts.duplicated,
    misrouted: phase.misrouted,
    outOfOrder: phase.outOfOrder,
    latency: summarize(phase.latencies),
    lateFires,
    saturated,
  };
}

/** Sends one message per conversation until every member's socket has it: the rooms are joined. */
export async function warmUp(sender: Target, receivers: Receivers, topology: Topology, tag: string) {
  for (let attempt = 0; attempt < 5; attempt++) {
    const result = await fanoutPhase({
      tag: `${tag}w${attempt}`,
      sender,
      receivers,
      topology,
      rate: Math.min(200, topology.users * 10),
      durationMs: (topology.users / Math.min(200, topology.users * 10)) * 1000,
      warmupMs: 0,
      drainMs: 3_000,
    });
    if (result.lost === 0 && result.sendErrors === 0) return;
  }
  throw new Error(`${sender.name}: sockets never received every warm-up message (rooms not joined?)`);
}
