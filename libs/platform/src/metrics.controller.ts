import { Controller, Get, Header, Res } from '@nestjs/common';
import { type FastifyReply } from 'fastify';
import { Telemetry } from './telemetry';

/**
 * `/metrics`: the service's metrics in the Prometheus text format, with the
 * same names and labels in every service (see `TELEMETRY`). Served when
 * METRICS is on (by default outside production).
 */
@Controller('metrics')
export class MetricsController {
  constructor(private readonly telemetry: Telemetry) {}

  @Get()
  @Header('cache-control', 'no-store')
  async metrics(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    void reply.header('content-type', this.telemetry.registry.contentType);
    return this.telemetry.registry.metrics();
  }
}
