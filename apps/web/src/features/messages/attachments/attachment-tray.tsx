import { AlertIcon, CloseIcon } from '../../../components/icons.tsx';
import type { TrayItem } from './use-attachment-tray.ts';

/** The files going with the next message, above the composer: progress and "Remove <file name>". */
export function AttachmentTray({
  items,
  notice,
  onRemove,
}: {
  items: TrayItem[];
  notice: string | null;
  onRemove: (key: string) => void;
}) {
  if (items.length === 0 && !notice) return null;
  return (
    <div className="mb-2">
      <ul aria-label="Attachments" className="flex flex-wrap gap-2">
        {items.map((item) => (
          <li
            key={item.key}
            className={`flex max-w-full min-w-0 items-center gap-2 rounded-lg border px-2.5 py-1.5 text-sm ${
              item.status === 'failed' ? 'border-danger/50 bg-danger-soft' : 'border-line bg-surface-2'
            }`}
          >
            <div className="min-w-0">
              <p className="max-w-48 truncate font-medium">{item.name}</p>
              {item.status === 'failed' ? (
                <p className="flex items-center gap-1 text-xs text-danger" role="alert">
                  <AlertIcon className="size-3.5" />
                  {item.error}
                </p>
              ) : (
                <progress
                  aria-label={`Uploading ${item.name}`}
                  max={1}
                  value={item.progress}
                  className="mt-1 block h-1.5 w-40 overflow-hidden rounded-full accent-[var(--accent)]"
                />
              )}
            </div>
            <button
              type="button"
              onClick={() => onRemove(item.key)}
              className="inline-flex size-7 shrink-0 items-center justify-center rounded-md text-muted hover:bg-surface-3 hover:text-fg"
            >
              <CloseIcon className="size-4" />
              <span className="sr-only">Remove {item.name}</span>
            </button>
          </li>
        ))}
      </ul>
      {notice ? (
        <p className="mt-1 text-xs text-muted" role="status">
          {notice}
        </p>
      ) : null}
    </div>
  );
}
