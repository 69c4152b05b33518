import type { Attachment, AttachmentResponse, ErrorBody } from '@parley/contracts';
import { ApiError, NetworkError } from '../../../lib/api-client.ts';

/**
 * Uploads one file as the part `file` (API.md, Attachments). XMLHttpRequest rather than fetch: only
 * it reports upload progress. Errors are the api client's, so they read the same everywhere.
 */
export function uploadFile(
  file: File,
  onProgress: (fraction: number) => void,
  signal: AbortSignal,
): Promise<Attachment> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/attachments');
    xhr.responseType = 'json';
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      const body = xhr.response as AttachmentResponse | ErrorBody | null;
      if (xhr.status === 201 && body && 'attachment' in body) {
        onProgress(1);
        resolve(body.attachment);
        return;
      }
      const detail =
        body && 'error' in body
          ? body.error
          : { code: 'unknown', message: xhr.status === 413 ? 'This file is too large.' : 'The upload failed.' };
      const retryAfter = Number(xhr.getResponseHeader('Retry-After'));
      reject(new ApiError(xhr.status, detail, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined));
    };
    xhr.onerror = () => reject(new NetworkError(new Error('upload failed')));
    xhr.onabort = () => reject(new DOMException('The upload was cancelled.', 'AbortError'));
    signal.addEventListener('abort', () => xhr.abort(), { once: true });
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}

/** "12 KB", "3.4 MB": sizes as people read them. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}
