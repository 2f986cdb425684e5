import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { MAX_BODY_BYTES } from '@bookshop/platform';

/**
 * Every body reaches the controller as text, whatever its content type or
 * none: the JSON-RPC layer parses it, so malformed JSON gets -32700 rather
 * than the framework's HTTP 400 (the app is created with Nest's body parser off).
 */
export function configureJsonRpc(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  // Fastify's own JSON and text parsers would answer malformed JSON with HTTP 400.
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(
    '*',
    { parseAs: 'string', bodyLimit: MAX_BODY_BYTES },
    (_request, body, done) => done(null, body),
  );
}
