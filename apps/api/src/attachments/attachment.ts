import type { Attachment } from '@parley/contracts';

/** An attachment as the queries read it; `hasThumbnail` stands for the stored thumbnail key. */
export interface AttachmentRow {
  id: number;
  name: string;
  contentType: string;
  size: number;
  width: number | null;
  height: number | null;
  hasThumbnail: boolean;
}

/** The one place a contract Attachment is built: the URLs are on our own origin, under /api. */
export function toAttachment(row: AttachmentRow): Attachment {
  return {
    id: row.id,
    name: row.name,
    contentType: row.contentType,
    size: Number(row.size),
    width: row.width,
    height: row.height,
    url: `/api/attachments/${row.id}/${encodeURIComponent(row.name)}`,
    thumbnailUrl: row.hasThumbnail ? `/api/attachments/${row.id}/thumbnail` : null,
  };
}
