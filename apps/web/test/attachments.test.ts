import type { Attachment } from '@parley/contracts';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { MessageAttachments } from '../src/features/messages/attachments/message-attachments.tsx';
import { formatSize } from '../src/features/messages/attachments/upload.ts';

const attachment = (over: Partial<Attachment>): Attachment => ({
  id: 1,
  name: 'file.bin',
  contentType: 'application/octet-stream',
  size: 10,
  width: null,
  height: null,
  url: '/api/attachments/1/file.bin',
  thumbnailUrl: null,
  ...over,
});

const render = (attachments: Attachment[]) =>
  renderToStaticMarkup(createElement(MessageAttachments, { attachments, own: false }));

describe('attachments in a message', () => {
  it('shows images at their size, scaled down to fit, with the space reserved and the name as alt', () => {
    const html = render([
      attachment({ id: 1, name: 'small.png', contentType: 'image/png', width: 30, height: 20, thumbnailUrl: '/t/1' }),
      attachment({
        id: 2,
        name: 'big.jpg',
        contentType: 'image/jpeg',
        width: 1600,
        height: 1200,
        thumbnailUrl: '/t/2',
      }),
      attachment({ id: 3, name: 'tall.gif', contentType: 'image/gif', width: 100, height: 480, thumbnailUrl: '/t/3' }),
    ]);
    const imgs = [...html.matchAll(/<img [^>]*>/g)].map((m) => m[0]);
    expect(imgs).toHaveLength(3);
    expect(imgs[0]).toMatch(/src="\/t\/1" alt="small.png" width="30" height="20"/);
    expect(imgs[1]).toMatch(/alt="big.jpg" width="320" height="240"/);
    expect(imgs[2]).toMatch(/alt="tall.gif" width="50" height="240"/);
  });

  it('offers every other file, SVG included, as "Download <name>" with its size', () => {
    const html = render([
      attachment({ id: 4, name: 'report.pdf', contentType: 'application/pdf', size: 12_345, url: '/a/4' }),
      attachment({ id: 5, name: 'logo.svg', contentType: 'image/svg+xml', size: 300, url: '/a/5' }),
    ]);
    expect(html).not.toContain('<img');
    expect(html).toMatch(/<a href="\/a\/4" download="report.pdf"[^>]*>Download report.pdf<\/a>/);
    expect(html).toMatch(/<a href="\/a\/5" download="logo.svg"[^>]*>Download logo.svg<\/a>/);
    expect(html).toContain('12 KB');
    expect(html).toContain('300 B');
  });

  it('writes sizes as people read them', () => {
    expect([512, 2048, 1536 * 1024, 25 * 1024 * 1024].map(formatSize)).toEqual(['512 B', '2.0 KB', '1.5 MB', '25 MB']);
  });
});
