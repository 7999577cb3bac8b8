// Parses JSON bodies sent as application/json or text/plain, refusing invalid UTF-8 and prototype-pollution keys.
import type { FastifyInstance } from 'fastify';
import { httpError } from './errors.js';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
/** A JSON \u0000 escape (an odd number of backslashes before "u0000"); a raw NUL is invalid JSON anyway. */
const ESCAPED_NUL = /(?<!\\)(?:\\\\)*\\u0000/;

export function registerJsonBodies(app: FastifyInstance): void {
  // Fastify's own parser (secure-json-parse) refuses __proto__ and constructor.prototype keys.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser(['application/json', 'text/plain'], { parseAs: 'buffer' }, (request, body, done) => {
    let text: string;
    try {
      text = strictUtf8.decode(body as Buffer);
    } catch {
      done(httpError(400, 'body is not valid UTF-8'), undefined);
      return;
    }
    if (text.trim() === '') {
      done(httpError(400, 'body is empty; send a JSON object'), undefined);
      return;
    }
    // PostgreSQL text and jsonb cannot hold U+0000: refused here, it could otherwise fail a write long after the 2xx.
    if (ESCAPED_NUL.test(text)) {
      done(httpError(400, 'body contains a NUL character (\\u0000), which no field may hold'), undefined);
      return;
    }
    parseJson(request, text, (err, value) => {
      if (!err) return done(null, value);
      // Fastify's message names application/json whatever was sent: say what is really wrong instead.
      try {
        JSON.parse(text);
        done(httpError(400, 'body: a "__proto__" key or a "constructor" key holding "prototype" is not allowed'), undefined);
      } catch (syntax) {
        done(httpError(400, `body is not valid JSON: ${syntax instanceof Error ? syntax.message : String(syntax)}`), undefined);
      }
    });
  });
}
