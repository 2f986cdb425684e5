import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { MAX_BODY_BYTES } from './tokens';

/**
 * Every request body reaches the handlers as text, whatever its content type
 * or none, up to the 1 MiB limit (over it, Fastify raises a 413 for the
 * service's filter). For protocols that parse their own bodies, so that a
 * malformed one is answered in the protocol's own error shape (JSON-RPC's
 * -32700, a SOAP fault) rather than the framework's 400 or 415; the service
 * is created with Nest's body parser off (`bodyParser: false`).
 */
export function takeBodiesAsText(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(
    '*',
    { parseAs: 'string', bodyLimit: MAX_BODY_BYTES },
    (_request, body, done) => done(null, body),
  );
}
