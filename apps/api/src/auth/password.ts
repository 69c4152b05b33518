import { hash, verify } from '@node-rs/argon2';
import { createHashGate } from './hash-gate.ts';

// argon2id with OWASP's second recommended profile (19 MiB, t=2): ~20 ms here, slow enough for guessing.
const options = { algorithm: 2 /* Argon2id */, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/**
 * One gate for the whole process, on purpose: the cap is about this machine's cores and memory, so
 * every app in it (tests run several) shares it. Past its short queue, hashing answers 503.
 */
export const passwordHashes = createHashGate();

export function hashPassword(password: string): Promise<string> {
  return passwordHashes.run(() => hash(password, options));
}

// A real hash of a random secret, so an unknown email costs the same verify as a wrong password.
const dummyHash = hash(crypto.randomUUID(), options);

export async function verifyPassword(passwordHash: string | undefined, password: string): Promise<boolean> {
  const target = passwordHash ?? (await dummyHash);
  return passwordHashes.run(async () => {
    try {
      return await verify(target, password);
    } catch {
      return false;
    }
  });
}
