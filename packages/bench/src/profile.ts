/**
 * Summarises a V8 `.cpuprofile` (from `node --cpu-prof`): self time by function and by package.
 * `node --import tsx src/profile.ts <file.cpuprofile>` prints the same summary for any profile.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
}

function owner(url: string): string {
  if (!url) return '(native/gc)';
  const match = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (match) return match[1]!;
  if (url.startsWith('node:')) return 'node core';
  if (url.includes('/apps/api/')) return '@parley/api';
  if (url.includes('/packages/')) return `@parley/${url.split('/packages/')[1]!.split('/')[0]}`;
  return url;
}

export function summarizeProfile(file: string, top = 25): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const totalMs = (profile.endTime - profile.startTime) / 1000;
  const perSample = totalMs / Math.max(1, profile.samples.length);
  const byFunction = new Map<string, number>();
  const byOwner = new Map<string, number>();
  let busy = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (!hits) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const ms = hits * perSample;
    if (functionName !== '(idle)' && functionName !== '(program)') busy += ms;
    const short = url
      .replace(/^.*node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?/, '')
      .replace(/^file:\/\/.*\/(apps|packages)\//, '$1/');
    const key = `${functionName || '(anonymous)'}  ${short}:${lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + ms);
    const o = ['(idle)', '(program)', '(garbage collector)'].includes(functionName) ? functionName : owner(url);
    byOwner.set(o, (byOwner.get(o) ?? 0) + ms);
  }
  const lines = [`${file}: ${totalMs.toFixed(0)} ms profiled, ${busy.toFixed(0)} ms on CPU in JS/GC`];
  const fmt = (m: Map<string, number>, n: number) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => `  ${v.toFixed(0).padStart(7)} ms ${((100 * v) / totalMs).toFixed(1).padStart(5)}%  ${k}`);
  lines.push(
    'by package (self time):',
    ...fmt(byOwner, 15),
    `top ${top} functions (self time):`,
    ...fmt(byFunction, top),
  );
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const file of process.argv.slice(2)) console.log(summarizeProfile(file));
}
