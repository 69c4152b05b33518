import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { ChromiumMissing, ensureChromium, findChromium, installHint } from '../find-chromium.mjs';

const moduleFile = fileURLToPath(new URL('../find-chromium.mjs', import.meta.url));

// Every case runs on a PATH of one empty temporary folder, so the machine's own Chromium and apt-get are
// out of sight; fake binaries are put there when a case needs them.
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'parley-find-chromium-'));
  chmodSync(dir, 0o755);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function fake(name: string, script = 'exit 0') {
  const file = path.join(dir, name);
  writeFileSync(file, `#!/bin/sh\n${script}\n`, { mode: 0o755 });
  return file;
}

/** An apt-get that records how it was called and, on install, puts a `chromium` next to itself. */
function fakeAptGet() {
  fake(
    'apt-get',
    [
      `echo "DEBIAN_FRONTEND=$DEBIAN_FRONTEND $*" >> "${dir}/apt-get.log"`,
      `if [ "$1" = install ]; then printf "#!/bin/sh\\n" > "${dir}/chromium"; /bin/chmod 755 "${dir}/chromium"; fi`,
    ].join('\n'),
  );
  return path.join(dir, 'apt-get.log');
}

describe('findChromium', () => {
  test('CHROMIUM_PATH wins over a Chromium on PATH', () => {
    fake('chromium');
    const chosen = fake('my-chrome');
    expect(findChromium({ PATH: dir, CHROMIUM_PATH: chosen })).toEqual({ path: chosen, source: 'CHROMIUM_PATH' });
  });

  test('a CHROMIUM_PATH that is not executable is refused by name, not replaced by another browser', () => {
    fake('chromium');
    const missing = path.join(dir, 'nowhere/chrome');
    expect(() => findChromium({ PATH: dir, CHROMIUM_PATH: missing })).toThrow(
      new ChromiumMissing(
        `CHROMIUM_PATH=${missing} is not an executable file: point it at a Chromium or Chrome binary, or unset it.`,
      ),
    );
  });

  test("the system's Chromium is found on PATH under its other names", () => {
    const browser = fake('chromium-browser');
    expect(findChromium({ PATH: `/nonexistent${path.delimiter}${dir}` })).toEqual({
      path: browser,
      source: 'the system',
    });
  });

  test('a file named chromium that is not executable is not a browser', () => {
    writeFileSync(path.join(dir, 'chromium'), 'not a program', { mode: 0o644 });
    expect(findChromium({ PATH: dir })).toBeUndefined();
  });
});

describe('ensureChromium', () => {
  test('as root with apt-get: installs Debian chromium non-interactively, says so, and uses it', async () => {
    const aptLog = fakeAptGet();
    const said: string[] = [];
    const found = await ensureChromium({ env: { PATH: dir }, isRoot: true, log: (line: string) => said.push(line) });
    expect(found).toEqual({ path: path.join(dir, 'chromium'), source: 'apt-get' });
    expect(readFileSync(aptLog, 'utf8')).toBe(
      'DEBIAN_FRONTEND=noninteractive update\nDEBIAN_FRONTEND=noninteractive install -y chromium\n',
    );
    expect(said[0]).toBe(
      "No Chromium found: installing Debian's chromium for the end-to-end tests (apt-get, as root).",
    );
  });

  test('a found Chromium is used without calling apt-get', async () => {
    const aptLog = fakeAptGet();
    const browser = fake('google-chrome');
    await expect(ensureChromium({ env: { PATH: dir }, isRoot: true, log: () => {} })).resolves.toEqual({
      path: browser,
      source: 'the system',
    });
    expect(existsSync(aptLog)).toBe(false);
  });

  test('a failing apt-get ends in one line saying what to do', async () => {
    fake('apt-get', 'exit 100');
    await expect(ensureChromium({ env: { PATH: dir }, isRoot: true, log: () => {} })).rejects.toThrow(
      new ChromiumMissing(
        'apt-get could not install chromium (exit code 100): install Chromium yourself or set CHROMIUM_PATH to a Chromium or Chrome binary.',
      ),
    );
  });

  test('not root: never runs apt-get, says what to install', async () => {
    const aptLog = fakeAptGet();
    await expect(ensureChromium({ env: { PATH: dir }, isRoot: false, log: () => {} })).rejects.toThrow(
      new ChromiumMissing(installHint),
    );
    expect(existsSync(aptLog)).toBe(false);
  });
});

describe('node scripts/find-chromium.mjs --install (what `pnpm test` runs first)', () => {
  test('not found, not root: exit 1 with exactly one line naming what to install, no stack trace', () => {
    const aptLog = fakeAptGet();
    // As root (CI), drop to nobody so the process really is not root; otherwise we already are not.
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const result = spawnSync(process.execPath, [moduleFile, '--install'], {
      env: { PATH: dir, HOME: dir },
      cwd: dir,
      encoding: 'utf8',
      ...asNobody,
    });
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`${installHint}\n`);
    expect(result.status).toBe(1);
    expect(existsSync(aptLog)).toBe(false);
  });
});
