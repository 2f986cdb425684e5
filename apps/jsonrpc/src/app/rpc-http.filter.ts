import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import { DomainError } from '@bookshop/domain';
import { type FastifyReply } from 'fastify';
import { INTERNAL_ERROR, INVALID_REQUEST } from './json-rpc/json-rpc';

/**
 * Failures before the JSON-RPC layer runs (a body over 1 MiB, an unknown
 * route) still answer with a JSON-RPC error object, id null, and the HTTP
 * status that names the transport's problem.
 */
@Catch()
export class RpcHttpFilter implements ExceptionFilter {
  private readonly logger = new Logger('JsonRpc');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const http = exception as { statusCode?: number; getStatus?: () => number; message?: string };
    const status = http?.getStatus?.() ?? http?.statusCode;
    let body: { code: number; message: string; data: Record<string, unknown> };
    let httpStatus: number;
    if (exception instanceof DomainError || typeof status !== 'number' || status >= 500) {
      this.logger.error({ err: exception }, 'Unexpected error');
      httpStatus = 500;
      body = { code: INTERNAL_ERROR, message: 'Internal error', data: { code: 'INTERNAL' } };
    } else if (status === 413) {
      httpStatus = 413;
      body = {
        code: INVALID_REQUEST,
        message: 'Invalid Request',
        data: { code: 'PAYLOAD_TOO_LARGE', reason: 'the body is over the 1 MiB limit' },
      };
    } else {
      httpStatus = status;
      body = {
        code: INVALID_REQUEST,
        message: 'Invalid Request',
        data: { code: 'BAD_REQUEST', reason: http.message ?? 'bad request' },
      };
    }
    void reply
      .status(httpStatus)
      .header('content-type', 'application/json; charset=utf-8')
      .send({ jsonrpc: '2.0', error: body, id: null });
  }
}
