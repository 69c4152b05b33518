// The one way to find the Chromium that Playwright drives (issue 10). Used by `pnpm test` (which may
// install it) and by playwright.config.ts (which only looks). Playwright's own browser download needs a
// network this kind of machine does not have, so we never fall back to it silently.
//
//   node scripts/find-chromium.mjs            prints the path, or one line saying what to install (exit 1)
//   node scripts/find-chromium.mjs --install  the same, but installs Debian's chromium when run as root
import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Names the system's Chromium (or Chrome) goes by on PATH; Debian's is /usr/bin/chromium. */
export const systemNames = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

export const installHint =
  'No Chromium for the end-to-end tests: install it (Debian/Ubuntu: `sudo apt-get install chromium`) or set CHROMIUM_PATH to a Chromium or Chrome binary.';

/** A browser problem a person must fix; its message is the one line we print (no stack trace). */
export class ChromiumMissing extends Error {}

function executable(file) {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The first executable `name` on the PATH of `env`, as an absolute path. */
export function onPath(name, env = process.env) {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(path.resolve(dir), name);
    if (executable(file)) return file;
  }
  return undefined;
}

/**
 * CHROMIUM_PATH, else the system's Chromium on PATH; undefined when there is neither. A CHROMIUM_PATH
 * that is not an executable is an error, not a reason to pick another browser behind the user's back.
 */
export function findChromium(env = process.env) {
  if (env.CHROMIUM_PATH) {
    if (!executable(env.CHROMIUM_PATH)) {
      throw new ChromiumMissing(
        `CHROMIUM_PATH=${env.CHROMIUM_PATH} is not an executable file: point it at a Chromium or Chrome binary, or unset it.`,
      );
    }
    return { path: env.CHROMIUM_PATH, source: 'CHROMIUM_PATH' };
  }
  for (const name of systemNames) {
    const file = onPath(name, env);
    if (file) return { path: file, source: 'the system' };
  }
  return undefined;
}

function run(command, args, env) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit', env });
    child.once('error', () => resolve(127));
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/**
 * findChromium, else — only as root, with apt-get — installs Debian's `chromium` (once: the next run
 * finds it on PATH), else throws ChromiumMissing saying what to install. Never asks for sudo: a test
 * command that prompts for a password would be worse than one that says what to do.
 */
export async function ensureChromium({
  env = process.env,
  isRoot = process.getuid?.() === 0,
  log = (line) => console.log(line),
} = {}) {
  const found = findChromium(env);
  if (found) return found;
  const aptGet = onPath('apt-get', env);
  if (!isRoot || !aptGet) throw new ChromiumMissing(installHint);
  log("No Chromium found: installing Debian's chromium for the end-to-end tests (apt-get, as root).");
  const aptEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' };
  const updated = await run(aptGet, ['update'], aptEnv);
  const installed = updated === 0 ? await run(aptGet, ['install', '-y', 'chromium'], aptEnv) : updated;
  if (installed !== 0) {
    throw new ChromiumMissing(
      `apt-get could not install chromium (exit code ${installed}): install Chromium yourself or set CHROMIUM_PATH to a Chromium or Chrome binary.`,
    );
  }
  const after = findChromium(env);
  if (!after)
    throw new ChromiumMissing(
      'apt-get installed chromium, but no chromium is on PATH: add its folder to PATH or set CHROMIUM_PATH to it.',
    );
  log(`Installed Chromium: ${after.path}`);
  return { ...after, source: 'apt-get' };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const found = process.argv.includes('--install') ? await ensureChromium() : findChromium();
    if (!found) throw new ChromiumMissing(installHint);
    console.log(found.path);
  } catch (err) {
    if (!(err instanceof ChromiumMissing)) throw err;
    console.error(err.message);
    process.exit(1);
  }
}
