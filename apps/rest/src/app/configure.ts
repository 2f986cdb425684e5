import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type ServiceConfig } from '@bookshop/platform';
import { cacheReplies, type RestSettings } from './http-cache';
import { negotiateRepresentations } from './representations';
import { openApiDocument } from './rest.document';

/**
 * Bodies are JSON or XML: Fastify's JSON parser stays (the app is created with
 * Nest's parsers off), an XML one joins it, and the text parser goes, so any
 * other media type is refused with 415. Replies are negotiated (JSON, XML,
 * CSV for lists; representations.ts) and carry HTTP caching headers
 * (http-cache.ts).
 * Interactive docs at /api/docs (Swagger UI) over the generated document.
 */
export async function configureRest(
  app: NestFastifyApplication,
  _config: ServiceConfig,
  settings: RestSettings,
): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.removeContentTypeParser('text/plain');
  negotiateRepresentations(fastify);
  cacheReplies(fastify, settings);
  await app.register(fastifySwagger, {
    mode: 'static',
    specification: { document: openApiDocument() as never },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });
}
