import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Env } from '../env.ts';
import { loadOnce } from '../load-once.ts';

/**
 * Where attachment bytes live, by key (ADR 043). Every write starts from a finished temporary file,
 * so the size is known and nothing half-written is ever visible under a key.
 */
export interface Storage {
  /** Moves (or copies) the finished file at `file` under `key`; the temporary file is gone after. */
  putFile(key: string, file: string): Promise<void>;
  putBuffer(key: string, bytes: Buffer): Promise<void>;
  /** The bytes under `key`; undefined when there are none. */
  read(key: string): Promise<Readable | undefined>;
  exists(key: string): Promise<boolean>;
  /** Deleting a key that is not there is not an error. */
  delete(key: string): Promise<void>;
  /** A directory on this machine for uploads in progress. */
  readonly tmpDir: string;
}

/** Keys are ours (`a/<uuid>`), never a user's file name, so no path can escape the root. */
export function createLocalStorage(dataDir: string): Storage {
  const root = path.resolve(dataDir, 'attachments');
  const tmpDir = path.resolve(dataDir, 'uploads-in-progress');
  const fileOf = (key: string) => path.join(root, key);
  return {
    tmpDir,
    async putFile(key, file) {
      await mkdir(path.dirname(fileOf(key)), { recursive: true });
      // Same filesystem (both under DATA_DIR): a rename, atomic, no copy.
      await rename(file, fileOf(key));
    },
    async putBuffer(key, bytes) {
      await mkdir(path.dirname(fileOf(key)), { recursive: true });
      const temp = `${fileOf(key)}.part`;
      await writeFile(temp, bytes);
      await rename(temp, fileOf(key));
    },
    async read(key) {
      if (!(await this.exists(key))) return undefined;
      return createReadStream(fileOf(key));
    },
    async exists(key) {
      return stat(fileOf(key)).then(
        () => true,
        () => false,
      );
    },
    async delete(key) {
      await rm(fileOf(key), { force: true });
    },
  };
}

export interface S3Settings {
  bucket: string;
  endpoint?: string;
  region: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  forcePathStyle: boolean;
}

/**
 * Any S3-compatible service (s3-storage.ts). The AWS SDK is about a fifth of the API's bundle: it is
 * loaded on the first read or write, so a start-up never compiles it before `/readyz` (ADR 047), and
 * a deployment on local disk never at all.
 */
export function createS3Storage(settings: S3Settings, tmpDir: string): Storage {
  const s3 = loadOnce(() => import('./s3-storage.ts').then((m) => m.s3Storage(settings, tmpDir)));
  return {
    tmpDir,
    putFile: async (key, file) => {
      // The driver owns the temporary file once it has it; if it never loaded, the file is ours to remove.
      const driver = await s3().catch(async (err: unknown) => {
        await rm(file, { force: true });
        throw err;
      });
      return driver.putFile(key, file);
    },
    putBuffer: async (key, bytes) => (await s3()).putBuffer(key, bytes),
    read: async (key) => (await s3()).read(key),
    exists: async (key) => (await s3()).exists(key),
    delete: async (key) => (await s3()).delete(key),
  };
}

export type StorageEnv = Pick<
  Env,
  | 'DATA_DIR'
  | 'STORAGE_DRIVER'
  | 'S3_BUCKET'
  | 'S3_ENDPOINT'
  | 'S3_REGION'
  | 'S3_ACCESS_KEY_ID'
  | 'S3_SECRET_ACCESS_KEY'
  | 'S3_FORCE_PATH_STYLE'
>;

export function createStorage(env: StorageEnv): Storage {
  if (env.STORAGE_DRIVER === 'local') return createLocalStorage(env.DATA_DIR);
  return createS3Storage(
    {
      bucket: env.S3_BUCKET!,
      endpoint: env.S3_ENDPOINT,
      region: env.S3_REGION,
      accessKeyId: env.S3_ACCESS_KEY_ID,
      secretAccessKey: env.S3_SECRET_ACCESS_KEY,
      forcePathStyle: env.S3_FORCE_PATH_STYLE,
    },
    path.resolve(env.DATA_DIR, 'uploads-in-progress'),
  );
}
