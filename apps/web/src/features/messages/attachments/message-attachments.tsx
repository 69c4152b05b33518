import type { Attachment } from '@parley/contracts';
import * as Dialog from '@radix-ui/react-dialog';
import { useState } from 'react';
import { CloseIcon } from '../../../components/icons.tsx';
import { formatSize } from './upload.ts';

/** The box a thumbnail is shown in (the server's thumbnails fit 800×600; the bubble is narrower). */
const SHOWN = { width: 320, height: 240 };

/** The image's size as shown: its own, scaled down to fit, never up. */
function shownSize(a: Attachment): { width: number; height: number } {
  const width = a.width ?? SHOWN.width;
  const height = a.height ?? SHOWN.height;
  const scale = Math.min(1, SHOWN.width / width, SHOWN.height / height);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/**
 * Images inline at their size, the space reserved by width and height so nothing moves when they
 * load; activating one opens it at full size in dialog "Image". Any other file is a download link.
 */
export function MessageAttachments({ attachments, own }: { attachments: Attachment[]; own: boolean }) {
  if (attachments.length === 0) return null;
  const images = attachments.filter((a) => a.thumbnailUrl !== null && a.width !== null && a.height !== null);
  const files = attachments.filter((a) => !images.includes(a));
  return (
    <div className="mt-1 flex flex-col gap-1.5">
      {images.length > 0 ? (
        <div className="flex flex-wrap gap-1.5">
          {images.map((image) => (
            <InlineImage key={image.id} image={image} />
          ))}
        </div>
      ) : null}
      {files.map((file) => (
        <p key={file.id} className="flex min-w-0 items-baseline gap-2 text-sm">
          <a
            href={file.url}
            download={file.name}
            className={`min-w-0 truncate font-medium underline underline-offset-2 ${own ? 'text-on-bubble-own' : 'text-accent'}`}
          >
            Download {file.name}
          </a>
          <span className={`shrink-0 text-xs ${own ? 'text-on-bubble-own' : 'text-muted'}`}>
            {formatSize(file.size)}
          </span>
        </p>
      ))}
    </div>
  );
}

function InlineImage({ image }: { image: Attachment }) {
  const [open, setOpen] = useState(false);
  const size = shownSize(image);
  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Trigger className="block max-w-full overflow-hidden rounded-lg focus-visible:outline-2 focus-visible:outline-ring">
        <img
          src={image.thumbnailUrl ?? image.url}
          alt={image.name}
          width={size.width}
          height={size.height}
          loading="lazy"
          decoding="async"
          className="block h-auto max-w-full bg-surface-3"
          style={{ aspectRatio: `${size.width} / ${size.height}` }}
        />
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-black/70" />
        <Dialog.Content
          aria-describedby={undefined}
          className="fixed inset-4 z-50 flex flex-col items-center justify-center gap-2 outline-none"
        >
          <Dialog.Title className="sr-only">Image</Dialog.Title>
          <img
            src={image.url}
            alt={image.name}
            width={image.width ?? undefined}
            height={image.height ?? undefined}
            className="h-auto max-h-[calc(100%-3rem)] w-auto max-w-full rounded-md object-contain"
          />
          <div className="flex items-center gap-3 text-sm text-white">
            <span className="truncate">{image.name}</span>
            <Dialog.Close className="inline-flex items-center gap-1 rounded-md bg-white/15 px-2 py-1 hover:bg-white/25">
              <CloseIcon className="size-4" />
              Close
            </Dialog.Close>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
