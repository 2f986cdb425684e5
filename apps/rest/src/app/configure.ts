import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { buildOpenApiDocument } from './openapi';

/** Interactive docs at /api/docs (Swagger UI) over the generated document. */
export async function configureRest(app: NestFastifyApplication): Promise<void> {
  await app.register(fastifySwagger, {
    mode: 'static',
    specification: { document: buildOpenApiDocument() as never },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });
}
