import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const decisions = fileURLToPath(new URL('../../docs/decisions/', import.meta.url));
const adrs = readdirSync(decisions).filter((file) => /^\d{3}-.+\.md$/.test(file));

// The convention of docs/decisions/README.md: title, blank line, Status line.
test.each(adrs)('%s says under its title whether it is in force', (file) => {
  const [title, blank, status] = readFileSync(path.join(decisions, file), 'utf8').split('\n');
  expect(title).toMatch(new RegExp(`^# ${file.slice(0, 3)} — `));
  expect(blank).toBe('');
  expect(status).toMatch(/^Status: (accepted|superseded by \d{3}) \(\d{4}-\d{2}-\d{2}\)$/);
});

test('there are ADRs to check', () => {
  expect(adrs.length).toBeGreaterThan(0);
});
