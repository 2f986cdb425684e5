import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import { DomainError } from '@bookshop/domain';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { markCallerFault, requestIdOf, requestPathOf } from './logging';
import {
  classifyTransportStatus,
  type TransportErrorRenderer,
  type TransportFailure,
} from './transport-errors';

const UNEXPECTED: TransportFailure = {
  status: 500,
  error: new DomainError('INTERNAL', 'An unexpected error occurred'),
};

/**
 * The exception filter of the SOAP, GraphQL and JSON-RPC services: a failure
 * Nest or Fastify raised before the protocol's handler ran (a body over 1 MiB,
 * an unknown route) is classified once (`classifyTransportStatus`) and shown
 * through the service's own error table (`renderTransportError`), as the
 * router's and Node's refusals are. Anything else is logged whole and answered
 * as INTERNAL. Outside HTTP (GraphQL's resolvers) the error is handed back.
 */
@Catch()
export class TransportErrorFilter implements ExceptionFilter {
  private readonly logger: Logger;

  constructor(
    context: string,
    private readonly render: TransportErrorRenderer,
  ) {
    this.logger = new Logger(context);
  }

  catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType() !== 'http') return exception;
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const http = exception as { statusCode?: number; getStatus?: () => number; message?: string };
    const failure =
      exception instanceof DomainError
        ? undefined
        : classifyTransportStatus(http?.getStatus?.() ?? http?.statusCode, http?.message);
    if (!failure) this.logger.error({ err: exception }, 'Unexpected error');
    const rendered = this.render(failure ?? UNEXPECTED, {
      requestId: requestIdOf(request.raw),
      path: requestPathOf(request.raw),
    });
    // SOAP answers the caller's faults with 500 too (SOAP 1.1 §6.2): still the caller's.
    if (failure && rendered.status >= 500) markCallerFault(reply.raw);
    void reply
      .status(rendered.status)
      .header('content-type', rendered.contentType)
      .send(rendered.body);
    return undefined;
  }
}
