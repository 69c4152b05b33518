import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import WebSocket from 'ws';
import { HttpClient } from './load.ts';

/** The system Chromium and the flags ADR 050 names: no first-run work, no background traffic in the trace. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--no-default-browser-check',
];

export type Preset = 'mobile' | 'desktop';

export interface LighthouseResult {
  page: string;
  preset: Preset;
  performance: number;
  accessibility: number;
  bestPractices: number;
  fcpMs: number;
  lcpMs: number;
  tbtMs: number;
  /** Compressed bytes of the scripts whose transfer ended before the observed first contentful paint. */
  jsBeforePaint: number;
  scriptsBeforePaint: { url: string; bytes: number }[];
  /** Titles of the audits of the three categories that did not pass, for the report. */
  failing: string[];
  /** Where the full JSON report was written (of the run reported, for a median). */
  reportFile: string;
  /** Every run's Performance score, in the order run, when the result is the median of several. */
  performanceRuns: number[];
}

/** Starts the system Chromium with a DevTools port and a throwaway profile. */
async function launchChromium(): Promise<{ port: number; child: ChildProcess; close(): Promise<void> }> {
  const profile = await mkdtemp(path.join(os.tmpdir(), 'parley-lighthouse-'));
  const child = spawn(CHROMIUM, [...CHROMIUM_FLAGS, '--remote-debugging-port=0', `--user-data-dir=${profile}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`Chromium gave no DevTools port: ${text.slice(-500)}`)), 15_000);
    child.once('error', reject);
    child.stderr!.on('data', (d: Buffer) => {
      text += d.toString();
      const match = /DevTools listening on ws:\/\/[^:]+:(\d+)\//.exec(text);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
  });
  return {
    port,
    child,
    async close() {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
      await rm(profile, { recursive: true, force: true });
    },
  };
}

export interface LighthouseSite {
  baseUrl: string;
  cookie: string;
  conversationId: number;
}

/**
 * A user who signs in, one conversation with a second member and `messages` messages in it (Markdown,
 * links and plain lines, as people write), so `/c/<id>` renders a full screen of history.
 */
export async function seedLighthouseSite(baseUrl: string, tag: string, messages: number): Promise<LighthouseSite> {
  const http = new HttpClient(baseUrl, 4);
  const register = async (nickname: string) => {
    const reply = await http.request('POST', '/api/auth/register', {
      email: `${nickname}@bench.test`,
      nickname,
      password: 'bench password 123',
    });
    if (reply.status !== 201) throw new Error(`sign-up failed: ${reply.status} ${reply.body.slice(0, 200)}`);
    return {
      // The session and its readable hint (ADR 051), as a browser would send them.
      cookie: reply.headers['set-cookie']!.map((line) => line.split(';')[0]!).join('; '),
      id: (JSON.parse(reply.body) as { user: { id: number } }).user.id,
    };
  };
  const me = await register(`lh${tag}a`);
  const other = await register(`lh${tag}b`);
  const created = await http.request(
    'POST',
    '/api/conversations',
    { title: 'Lighthouse', memberIds: [other.id] },
    { cookie: me.cookie },
  );
  if (created.status !== 201) throw new Error(`conversation failed: ${created.status}`);
  const conversationId = (JSON.parse(created.body) as { conversation: { id: number } }).conversation.id;
  const lines = [
    'Shall we meet at **ten** tomorrow?',
    'The notes are at https://example.com/notes, see the `agenda` section',
    'Sounds good to me',
    '- bring the slides\n- book the room',
    'I will be _a little_ late',
  ];
  for (let i = 0; i < messages; i++) {
    const reply = await http.request(
      'POST',
      `/api/conversations/${conversationId}/messages`,
      { content: lines[i % lines.length] },
      { cookie: (i % 2 ? other : me).cookie },
    );
    if (reply.status !== 201) throw new Error(`send failed: ${reply.status}`);
  }
  http.close();
  return { baseUrl, cookie: me.cookie, conversationId };
}

const score = (lhr: any, category: string) => Math.round((lhr.categories[category]?.score ?? 0) * 100);

/**
 * Puts `cookie` ("a=1; b=2") in the browser's jar for `url`'s origin over the DevTools protocol
 * (Storage.setCookies on the browser target). Lighthouse clears neither cookies nor the jar of the
 * profile between its setup and the navigation, and the page must see them in `document.cookie`:
 * the SPA reads the session hint there (ADR 051), which an `extraHeaders` Cookie header never reaches.
 */
async function setCookies(port: number, url: string, cookie: string): Promise<void> {
  const version = (await (await fetch(`http://127.0.0.1:${port}/json/version`)).json()) as {
    webSocketDebuggerUrl: string;
  };
  const socket = new WebSocket(version.webSocketDebuggerUrl);
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    const cookies = cookie.split('; ').map((pair) => {
      const at = pair.indexOf('=');
      return { name: pair.slice(0, at), value: pair.slice(at + 1), url, path: '/' };
    });
    const answer = new Promise<{ error?: { message: string } }>((resolve) =>
      socket.on('message', (data) => {
        const reply = JSON.parse(String(data)) as { id?: number; error?: { message: string } };
        if (reply.id === 1) resolve(reply);
      }),
    );
    socket.send(JSON.stringify({ id: 1, method: 'Storage.setCookies', params: { cookies } }));
    const reply = await answer;
    if (reply.error) throw new Error(`Storage.setCookies: ${reply.error.message}`);
  } finally {
    socket.close();
  }
}

/**
 * `runs` Lighthouse navigations of `url`, one after another, each in a fresh browser with the preset's
 * throttling (mobile: simulated slow 4G and a 4× slower CPU; desktop: the desktop config). The session's
 * cookies are put in each fresh profile's jar first (setCookies), so the page loads signed in without a
 * scripted login. The result is the run whose Performance score is the median, as Lighthouse advises for
 * scores that vary between runs (one navigation of the same build moved by 7 points on this machine);
 * every run's score is kept for the report.
 */
export async function runLighthouse(options: LighthouseRun, runs = 1): Promise<LighthouseResult> {
  const all: { result: Measured; report: string }[] = [];
  for (let i = 0; i < runs; i++) all.push(await runOnceRetried(options));
  const sorted = [...all].sort((a, b) => a.result.performance - b.result.performance);
  const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
  return {
    ...median.result,
    performanceRuns: all.map((r) => r.result.performance),
    reportFile: await keepReport(options, median.report),
  };
}

async function keepReport(options: LighthouseRun, report: string): Promise<string> {
  // The whole report, for a look at the audits behind a score (bootup time, long tasks, contrast nodes).
  const reportFile = path.join(
    os.tmpdir(),
    `parley-lighthouse-${options.preset}-${options.page.replace(/\W+/g, '_')}.json`,
  );
  await writeFile(reportFile, report);
  return reportFile;
}

async function runOnceRetried(options: LighthouseRun): Promise<{ result: Measured; report: string }> {
  // Lighthouse itself asks for another run when the trace misses a navigation start (NO_NAVSTART, seen
  // now and then with this Chromium): a fresh browser, up to three times.
  for (let attempt = 1; ; attempt++) {
    try {
      return await lighthouseOnce(options);
    } catch (err) {
      if (!(err instanceof RuntimeError) || attempt === 3) throw err;
    }
  }
}

class RuntimeError extends Error {}

interface LighthouseRun {
  url: string;
  page: string;
  preset: Preset;
  cookie?: string;
}

/** What one navigation measures; runLighthouse adds which report it kept and every run's score. */
type Measured = Omit<LighthouseResult, 'reportFile' | 'performanceRuns'>;

async function lighthouseOnce(options: LighthouseRun): Promise<{ result: Measured; report: string }> {
  const chromium = await launchChromium();
  try {
    if (options.cookie) await setCookies(chromium.port, new URL(options.url).origin, options.cookie);
    const result = await lighthouse(
      options.url,
      {
        port: chromium.port,
        output: 'json',
        logLevel: 'error',
        onlyCategories: ['performance', 'accessibility', 'best-practices'],
      },
      options.preset === 'desktop' ? desktopConfig : undefined,
    );
    if (!result) throw new Error('Lighthouse returned no result');
    const lhr = result.lhr as any;
    if (lhr.runtimeError) throw new RuntimeError(`Lighthouse: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
    const audits = lhr.audits;
    const observed = audits.metrics?.details?.items?.[0] ?? {};
    const fcpObserved: number = observed.observedFirstContentfulPaint ?? Number.POSITIVE_INFINITY;
    const requests: any[] = audits['network-requests']?.details?.items ?? [];
    const scriptsBeforePaint = requests
      .filter((r) => r.resourceType === 'Script' && r.networkEndTime <= fcpObserved)
      .map((r) => ({ url: new URL(r.url).pathname, bytes: r.transferSize as number }));
    const failing = ['performance', 'accessibility', 'best-practices'].flatMap((category) =>
      (lhr.categories[category]?.auditRefs ?? [])
        .filter((ref: any) => ref.weight > 0 && audits[ref.id]?.score !== null && audits[ref.id]?.score < 0.9)
        .map(
          (ref: any) => `${category}: ${audits[ref.id].title} (${audits[ref.id].displayValue ?? audits[ref.id].score})`,
        ),
    );
    const measured: Measured = {
      page: options.page,
      preset: options.preset,
      performance: score(lhr, 'performance'),
      accessibility: score(lhr, 'accessibility'),
      bestPractices: score(lhr, 'best-practices'),
      fcpMs: audits['first-contentful-paint'].numericValue,
      lcpMs: audits['largest-contentful-paint'].numericValue,
      tbtMs: audits['total-blocking-time'].numericValue,
      jsBeforePaint: scriptsBeforePaint.reduce((sum, s) => sum + s.bytes, 0),
      scriptsBeforePaint,
      failing,
    };
    return { result: measured, report: result.report as string };
  } finally {
    await chromium.close();
  }
}
