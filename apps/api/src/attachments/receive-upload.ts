import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import { AppError } from '../http/app-error.ts';

export interface ReceivedFile {
  /** A temporary file holding the bytes; the caller moves it into storage or removes it. */
  file: string;
  name: string;
  size: number;
  /** The bytes decoded as UTF-8 without a NUL, learnt on the way through. */
  utf8: boolean;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Name as shown and as downloaded: no folders, no control characters, at most 255 characters. */
export function cleanFileName(raw: string | undefined): string {
  const base = (raw ?? '').split(/[/\\]/).pop() ?? '';
  const cleaned = base
    .replace(LONE_SURROGATE, '')
    .replace(/\p{Cc}/gu, '')
    .trim();
  const cut = Array.from(cleaned).slice(0, 200).join('');
  return cut === '' || cut === '.' || cut === '..' ? 'file' : cut;
}

/**
 * Streams the one part `file` of a multipart request to a temporary file, counting bytes (ADR 040):
 * memory holds a chunk at a time, whatever the size. Past `maxBytes` the rest is read and dropped and
 * the partial file removed (413); an empty file is a 400.
 */
export async function receiveUpload(
  req: IncomingMessage,
  { maxBytes, tmpDir }: { maxBytes: number; tmpDir: string },
): Promise<ReceivedFile> {
  if (!req.headers['content-type']?.toLowerCase().startsWith('multipart/form-data')) {
    throw new AppError('unsupported_media_type', 'Upload a file as multipart/form-data.');
  }
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: req.headers,
      defParamCharset: 'utf8',
      // busboy marks a file truncated on reaching its limit, so one byte more tells `maxBytes` from more.
      limits: { files: 1, fileSize: maxBytes + 1, fields: 10, fieldSize: 1024, parts: 12, headerPairs: 20 },
    });
  } catch {
    throw new AppError('validation_failed', 'The multipart body is not valid.');
  }
  await mkdir(tmpDir, { recursive: true });
  const file = path.join(tmpDir, randomUUID());

  return new Promise<ReceivedFile>((resolve, reject) => {
    let written: Promise<{ size: number; utf8: boolean; truncated: boolean; name: string }> | undefined;
    let failed = false;
    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      // Whatever happened, nothing stays behind; the rest of the body is read and dropped.
      req.unpipe(parser);
      req.resume();
      void rm(file, { force: true }).finally(() => reject(err));
    };

    parser.on('file', (field, stream, info) => {
      if (field !== 'file' || written) {
        stream.resume();
        return;
      }
      let size = 0;
      let utf8 = true;
      const decoder = new TextDecoder('utf-8', { fatal: true });
      const count = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          size += chunk.length;
          if (utf8) {
            try {
              if (chunk.includes(0)) utf8 = false;
              else decoder.decode(chunk, { stream: true });
            } catch {
              utf8 = false;
            }
          }
          callback(null, chunk);
        },
        flush(callback) {
          if (utf8) {
            try {
              decoder.decode();
            } catch {
              utf8 = false;
            }
          }
          callback();
        },
      });
      const done = pipeline(stream, count, createWriteStream(file)).then(() => ({
        size,
        utf8,
        truncated: stream.truncated === true,
        name: cleanFileName(info.filename),
      }));
      done.catch(fail);
      written = done;
    });
    parser.on('error', () => fail(new AppError('validation_failed', 'The multipart body is not valid.')));
    parser.on('close', () => {
      if (failed) return;
      if (!written) {
        fail(new AppError('validation_failed', undefined, { file: 'Attach one file as the part `file`.' }));
        return;
      }
      written.then((result) => {
        if (result.truncated || result.size > maxBytes) {
          fail(new AppError('payload_too_large', `A file may be at most ${maxBytes} bytes.`));
        } else if (result.size === 0) {
          fail(new AppError('validation_failed', undefined, { file: 'The file is empty.' }));
        } else {
          resolve({ file, name: result.name, size: result.size, utf8: result.utf8 });
        }
      }, fail);
    });
    req.on('aborted', () => fail(new Error('upload aborted')));
    req.pipe(parser);
  });
}
