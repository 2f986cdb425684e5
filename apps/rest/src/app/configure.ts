import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { openApiDocument } from './rest.document';

/**
 * Bodies are JSON only: Fastify's JSON parser stays (the app is created with
 * Nest's parsers off) and its text parser goes, so any other media type is
 * refused with 415. Interactive docs at /api/docs (Swagger UI) over the
 * generated document.
 */
export async function configureRest(app: NestFastifyApplication): Promise<void> {
  app.getHttpAdapter().getInstance().removeContentTypeParser('text/plain');
  await app.register(fastifySwagger, {
    mode: 'static',
    specification: { document: openApiDocument() as never },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });
}
