import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import { requestIdOf } from '@bookshop/platform';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { PinoLogger } from 'nestjs-pino';
import { PROBLEM_CONTENT_TYPE, toProblem } from './rest-errors';

/** Every error leaves as application/problem+json (RFC 9457); unexpected ones are logged whole first. */
@Catch()
export class RestFilter implements ExceptionFilter {
  constructor(private readonly logger: PinoLogger) {
    this.logger.setContext(RestFilter.name);
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { problem, headers, unexpected } = toProblem(exception, {
      url: request.url,
      requestId: requestIdOf(request.raw),
    });
    if (unexpected) {
      this.logger.error({ err: exception, requestId: problem.requestId }, 'Unexpected error');
    }
    void reply
      .status(problem.status)
      .headers({ ...headers, 'content-type': PROBLEM_CONTENT_TYPE })
      .send(problem);
  }
}
