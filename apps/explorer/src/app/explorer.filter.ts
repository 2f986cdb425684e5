import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import { toClientError } from '@bookshop/platform';
import { type FastifyReply } from 'fastify';
import { EXPLORER_ERRORS } from './explorer-errors';

/** Everything the explorer's handlers throw, through its one table; the unforeseen is logged whole. */
@Catch()
export class ExplorerFilter implements ExceptionFilter {
  private readonly logger = new Logger('Explorer');

  catch(exception: unknown, host: ArgumentsHost): void {
    const { error, unexpected } = toClientError(exception);
    if (unexpected) this.logger.error({ err: exception }, 'Unexpected error');
    void host
      .switchToHttp()
      .getResponse<FastifyReply>()
      .status(EXPLORER_ERRORS[error.code])
      .send({
        error: {
          code: error.code,
          message: error.message,
          ...(error.details ? { details: error.details } : {}),
        },
      });
  }
}
