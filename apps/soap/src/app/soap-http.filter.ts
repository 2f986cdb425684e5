import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import { DomainError } from '@bookshop/domain';
import { markCallerFault, requestIdOf } from '@bookshop/platform';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { SOAP_CONTENT_TYPE, SoapFault } from './soap-envelope';
import { renderFault, toFault } from './soap-faults';

/**
 * Failures before the SOAP endpoint runs (a body over 1 MiB, an unknown
 * route) still answer with a SOAP 1.1 Fault envelope. At `/soap` it goes with
 * HTTP 500, as every SOAP fault does (SOAP 1.1 §6.2); elsewhere the status
 * names the transport's problem (404 for an unknown route).
 */
@Catch()
export class SoapHttpFilter implements ExceptionFilter {
  private readonly logger = new Logger('Soap');

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const http = exception as { statusCode?: number; getStatus?: () => number; message?: string };
    const status = http?.getStatus?.() ?? http?.statusCode;
    let thrown: unknown;
    if (exception instanceof DomainError || typeof status !== 'number' || status >= 500) {
      this.logger.error({ err: exception }, 'Unexpected error');
      thrown = undefined; // answered blandly, as INTERNAL
    } else if (status === 413) {
      thrown = new DomainError('PAYLOAD_TOO_LARGE', 'The request body is over the 1 MiB limit');
    } else {
      thrown = SoapFault.badRequest(http.message ?? 'Bad request');
    }
    const { fault } = toFault(thrown);
    const atEndpoint = request.url.split('?')[0] === '/soap';
    if (fault.faultCode !== 'Server') markCallerFault(reply.raw);
    void reply
      .status(atEndpoint || typeof status !== 'number' ? 500 : status)
      .type(SOAP_CONTENT_TYPE)
      .send(renderFault(fault, requestIdOf(request.raw)));
  }
}
