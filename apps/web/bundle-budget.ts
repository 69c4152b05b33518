import { brotliCompressSync, constants } from 'node:zlib';
import type { Plugin } from 'vite';

/** ADR 049: the scripts a first visit runs before it can paint, at their brotli size (issue 17's target). */
const FIRST_PAINT_BUDGET = 120 * 1024;

/**
 * Fails the build when the entry chunk and the chunks it imports statically (all a first visit runs
 * before the first paint; everything else is a dynamic import) exceed the budget once brotli-compressed,
 * as precompress.ts writes them. Deterministic: the same sources give the same bytes.
 */
export function bundleBudget(): Plugin {
  return {
    name: 'parley-bundle-budget',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = new Map(
        Object.values(bundle).flatMap((file) => (file.type === 'chunk' ? [[file.fileName, file] as const] : [])),
      );
      const firstPaint = new Set<string>();
      const visit = (name: string) => {
        if (firstPaint.has(name)) return;
        firstPaint.add(name);
        for (const imported of chunks.get(name)?.imports ?? []) visit(imported);
      };
      for (const chunk of chunks.values()) if (chunk.isEntry) visit(chunk.fileName);
      const sizes = [...firstPaint].map((name) => {
        const code = chunks.get(name)!.code;
        const br = brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
        return { name, raw: Buffer.byteLength(code), br };
      });
      const total = sizes.reduce((sum, s) => sum + s.br, 0);
      const list = sizes.map((s) => `${s.name} ${(s.br / 1024).toFixed(1)} KiB`).join(', ');
      const line = `JS before first paint: ${(total / 1024).toFixed(1)} KiB brotli (budget ${FIRST_PAINT_BUDGET / 1024} KiB): ${list}`;
      if (total > FIRST_PAINT_BUDGET) this.error(`${line}. Move what the first paint does not need behind import().`);
      this.info(line);
    },
  };
}
