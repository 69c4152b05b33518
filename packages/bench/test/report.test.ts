import { describe, expect, test } from 'vitest';
import { type Row, table, verdict } from '../src/report.ts';

const row = (overrides: Partial<Row>): Row => ({
  figure: 'sustained persisted sends',
  workload: 'steps of 1 s: 50, 100 msg/s',
  parley: '100 msg/s (top step)',
  baseline: '100 msg/s (top step)',
  ratio: '1.00×',
  target: '≥ 2,000 msg/s with p99 ≤ 50 ms, 0 lost (stretch 5,000)',
  verdict: 'pass',
  ...overrides,
});

describe('bench verdicts', () => {
  test('a quick run judges no target: a clean workload is a smoke, whether or not the target was met', () => {
    expect(verdict(true, true, true)).toBe('smoke');
    expect(verdict(true, true, false)).toBe('smoke');
  });

  test('a quick run still reports a workload that lost, duplicated or refused messages', () => {
    expect(verdict(true, false, true)).toBe('smoke-fail');
  });

  test('only a full run passes or fails a target', () => {
    expect(verdict(false, true, true)).toBe('pass');
    expect(verdict(false, true, false)).toBe('fail');
    expect(verdict(false, false, true)).toBe('fail');
  });
});

describe('bench table', () => {
  test('a smoke table says so in its first line and marks targets as not judged', () => {
    const lines = table([row({ verdict: 'smoke' }), row({ verdict: 'smoke-fail' })], { quick: true }).split('\n');
    expect(lines[0]).toMatch(/^Smoke run \(`--quick`\):.*no target is judged/);
    expect(lines[2]).toContain('| target (full run only, not judged here) | result |');
    expect(lines[4]).toMatch(/\| smoke \|$/);
    expect(lines[5]).toMatch(/\| ❌ smoke: lost, duplicated or refused \|$/);
    expect(lines.join('\n')).not.toContain('pass');
  });

  test('a full table starts with its header row and marks met targets', () => {
    const lines = table([row({ verdict: 'pass' })]).split('\n');
    expect(lines[0]).toBe('| figure | workload | Parley | bare baseline | ratio | target | result |');
    expect(lines[2]).toMatch(/\| ✅ pass \|$/);
  });
});
