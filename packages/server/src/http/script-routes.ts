// GET /api/script.js (and the lazy add-ons beside it): the built tracker, pre-compressed, with cache headers.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';

interface Asset {
  raw: Buffer;
  gzip: Buffer;
  br: Buffer;
  etag: string;
}

function loadAsset(file: string): Asset {
  const raw = readFileSync(file);
  return {
    raw,
    gzip: gzipSync(raw, { level: 9 }),
    br: brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
    etag: `"${createHash('sha256').update(raw).digest('base64url').slice(0, 16)}"`,
  };
}

/** The tracker's dist folder, found through the workspace package. */
export function trackerDistDir(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('@eesee/js/package.json')), 'dist');
}

export async function scriptRoutes(app: FastifyInstance, opts: { distDir?: string } = {}): Promise<void> {
  const dir = opts.distDir ?? trackerDistDir();
  const assets = new Map<string, Asset>();
  for (const name of ['script.js', 'vitals.js', 'replay.js']) {
    const file = path.join(dir, name);
    if (existsSync(file)) assets.set(name, loadAsset(file));
  }
  if (!assets.has('script.js')) throw new Error(`tracker not built: ${path.join(dir, 'script.js')} is missing; run npm run build`);

  for (const [name, asset] of assets) {
    app.get(`/api/${name}`, async (request, reply) => {
    reply
      .header('content-type', 'application/javascript; charset=utf-8')
      // Not immutable: the URL has no version, so browsers re-check hourly and get a 304 when unchanged.
      .header('cache-control', 'public, max-age=3600, stale-while-revalidate=86400')
      .header('access-control-allow-origin', '*')
      .header('cross-origin-resource-policy', 'cross-origin')
      .header('etag', asset.etag)
      .header('vary', 'Accept-Encoding');
    if (request.headers['if-none-match'] === asset.etag) return reply.status(304).send();
    const accept = String(request.headers['accept-encoding'] ?? '');
    if (/\bbr\b/.test(accept)) return reply.header('content-encoding', 'br').send(asset.br);
    if (/\bgzip\b/.test(accept)) return reply.header('content-encoding', 'gzip').send(asset.gzip);
    return reply.send(asset.raw);
    });
  }
}
