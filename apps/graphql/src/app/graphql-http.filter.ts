import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import { type FastifyReply } from 'fastify';

/**
 * Failures before GraphQL runs (a body over 1 MiB, an unknown route) answer
 * as a GraphQL response with the transport's status. Errors inside GraphQL
 * are not this filter's: it hands them back to be formatted by the server.
 */
@Catch()
export class GraphqlHttpFilter implements ExceptionFilter {
  private readonly logger = new Logger('GraphQL');

  catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType() !== 'http') return exception;
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const http = exception as { statusCode?: number; getStatus?: () => number; message?: string };
    const status = http?.getStatus?.() ?? http?.statusCode;
    let code: string;
    let message: string;
    let httpStatus: number;
    if (status === 413) {
      [httpStatus, code, message] = [
        413,
        'PAYLOAD_TOO_LARGE',
        'The request body is over the 1 MiB limit',
      ];
    } else if (typeof status === 'number' && status >= 400 && status < 500) {
      [httpStatus, code, message] = [
        status,
        status === 404 ? 'NOT_FOUND' : 'BAD_REQUEST',
        http.message ?? 'Bad request',
      ];
    } else {
      this.logger.error({ err: exception }, 'Unexpected error');
      [httpStatus, code, message] = [500, 'INTERNAL_SERVER_ERROR', 'Internal server error'];
    }
    void reply
      .status(httpStatus)
      .header('content-type', 'application/json; charset=utf-8')
      .send({ errors: [{ message, extensions: { code } }] });
    return undefined;
  }
}
