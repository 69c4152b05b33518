import { type Attachment, LIMITS } from '@parley/contracts';
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../../../lib/error-message.ts';
import { uploadFile } from './upload.ts';

let nextKey = 0;

export interface TrayItem {
  key: string;
  name: string;
  /** 0…1 while uploading. */
  progress: number;
  status: 'uploading' | 'ready' | 'failed';
  attachment?: Attachment;
  error?: string;
}

/**
 * The files picked, pasted or dropped for the next message: each uploads at once, with its progress,
 * and can be removed (an upload in flight is cancelled). At most LIMITS.attachmentsMax per message.
 */
export function useAttachmentTray() {
  const [items, setItems] = useState<TrayItem[]>([]);
  const controllers = useRef(new Map<string, AbortController>());
  const [notice, setNotice] = useState<string | null>(null);

  const patch = useCallback((key: string, change: Partial<TrayItem>) => {
    setItems((current) => current.map((item) => (item.key === key ? { ...item, ...change } : item)));
  }, []);

  // How many files the tray holds, known synchronously: two adds in one tick must not pass 10.
  const count = useRef(0);

  const add = useCallback(
    (files: Iterable<File>) => {
      const list = [...files];
      if (list.length === 0) return;
      const room = LIMITS.attachmentsMax - count.current;
      setNotice(list.length > room ? `A message takes at most ${LIMITS.attachmentsMax} files.` : null);
      const taken = list.slice(0, Math.max(0, room)).map((file) => ({ file, key: `file-${++nextKey}` }));
      count.current += taken.length;
      setItems((current) => [
        ...current,
        ...taken.map(({ file, key }) => ({ key, name: file.name, progress: 0, status: 'uploading' as const })),
      ]);
      for (const { file, key } of taken) {
        const controller = new AbortController();
        controllers.current.set(key, controller);
        uploadFile(file, (progress) => patch(key, { progress }), controller.signal).then(
          (attachment) => patch(key, { status: 'ready', progress: 1, attachment }),
          (error: unknown) => {
            if (!controller.signal.aborted) patch(key, { status: 'failed', error: errorMessage(error) });
          },
        );
      }
    },
    [patch],
  );

  const remove = useCallback((key: string) => {
    controllers.current.get(key)?.abort();
    controllers.current.delete(key);
    count.current = Math.max(0, count.current - 1);
    setItems((current) => current.filter((item) => item.key !== key));
    setNotice(null);
  }, []);

  /** Empties the tray once its files went out with a message. */
  const clear = useCallback(() => {
    controllers.current.clear();
    count.current = 0;
    setItems([]);
    setNotice(null);
  }, []);

  // Leaving the conversation cancels what is still uploading.
  useEffect(() => {
    const inFlight = controllers.current;
    return () => {
      for (const controller of inFlight.values()) controller.abort();
    };
  }, []);

  const ready = items.flatMap((item) => (item.attachment ? [item.attachment] : []));
  const uploading = items.some((item) => item.status === 'uploading');
  return { items, ready, uploading, notice, add, remove, clear };
}
