// One JSON error shape for every 4xx/5xx: {"error": "what was wrong and what to do"}.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';

/** `notFound` may answer a request no route matched (the dashboard's client-side routes) and return true. */
export function registerErrorHandling(app: FastifyInstance, opts: { notFound?: (request: FastifyRequest, reply: FastifyReply) => boolean } = {}): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (status >= 500) request.log.error({ err }, 'request failed');
    const message =
      status >= 500
        ? 'internal error; the server log has details'
        : err.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
          ? 'body is too large'
          : err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
            ? `unsupported content type ${request.headers['content-type'] ?? ''}; send application/json or text/plain`
            : err.message;
    void reply.status(status).send({ error: message });
  });
  app.setNotFoundHandler((request, reply) => {
    if (opts.notFound?.(request, reply)) return;
    void reply.status(404).send({ error: `no route for ${request.method} ${request.url.split('?')[0]}` });
  });
}

/** An error that becomes a 4xx with its message as the JSON body. */
export function httpError(statusCode: number, message: string): FastifyError {
  return Object.assign(new Error(message), { statusCode, code: 'EESEE_HTTP' }) as FastifyError;
}

/** A 400 body for a request that failed its schema: every problem, each prefixed with the field it concerns. */
export function validationError(error: z.ZodError): { error: string; details: string[] } {
  const details = error.issues.map((i) => `${i.path.length ? i.path.join('.') : 'body'}: ${i.message}`);
  return { error: details.join('; '), details };
}
