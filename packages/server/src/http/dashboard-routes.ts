// Serves the built dashboard (packages/dashboard → packages/server/static) at `/`, with the SPA fallback to index.html.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Where `npm run build` puts the dashboard (vite's outDir). */
export const DASHBOARD_DIR = fileURLToPath(new URL('../../static/', import.meta.url));

/** The exact addresses of shared and public dashboards: only these may be framed by other sites. */
const SHARED_PAGE = /^\/(share\/[A-Za-z0-9_-]{32}|public\/\d{1,9})$/;

export interface Dashboard {
  /** Registers the static files and `/`. */
  routes(app: FastifyInstance): Promise<void>;
  /** For the not-found handler: answers client-side routes (/sites/3, /login) with the app; false for anything else. */
  fallback(request: FastifyRequest, reply: FastifyReply): boolean;
}

export function openDashboard(dir = DASHBOARD_DIR): Dashboard {
  const indexFile = path.join(dir, 'index.html');
  if (!existsSync(indexFile)) throw new Error(`dashboard not built: ${indexFile} is missing; run npm run build`);
  const indexHtml = readFileSync(indexFile);

  const sendIndex = (reply: FastifyReply, pathname = '/') => {
    reply.header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-cache').header('x-content-type-options', 'nosniff');
    // Shared and public dashboards are meant to be embedded (iframes) and linked from anywhere; everything else refuses framing.
    if (SHARED_PAGE.test(pathname)) reply.header('content-security-policy', 'frame-ancestors *').header('referrer-policy', 'no-referrer');
    else reply.header('x-frame-options', 'DENY').header('content-security-policy', "frame-ancestors 'none'").header('referrer-policy', 'same-origin');
    return reply.send(indexHtml);
  };

  return {
    async routes(app) {
      // Hashed file names under /assets never change: cached for a year; everything else is re-checked.
      await app.register(fastifyStatic, {
        root: dir,
        wildcard: false,
        index: false,
        setHeaders: (reply, file) => {
          reply.header('cache-control', file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
          reply.header('x-content-type-options', 'nosniff');
        },
      });
      app.get('/', async (_request, reply) => sendIndex(reply));
    },
    fallback(request, reply) {
      const pathname = request.url.split('?')[0]!;
      const appRoute = (request.method === 'GET' || request.method === 'HEAD') && !/^\/api(\/|$)/.test(pathname) && !path.extname(pathname);
      if (appRoute) void sendIndex(reply, pathname);
      return appRoute;
    },
  };
}
