import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import { toClientError } from '@bookshop/platform';
import { type WebSocket } from 'ws';
import { sendFrame } from './connection';
import { type RequestFrame, reply } from './frames';
import { WS_ERRORS } from './websocket-errors';

/** Every failure of a frame becomes an error frame with its id; the connection stays open. */
@Catch()
export class WebsocketFilter implements ExceptionFilter {
  private readonly logger = new Logger('WebSocket');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ws = host.switchToWs();
    const client = ws.getClient<WebSocket>();
    const frame = ws.getData<Partial<RequestFrame> | undefined>();
    const { error, unexpected } = toClientError(exception);
    if (unexpected) this.logger.error({ err: exception, op: frame?.op }, 'Unexpected error');
    const mapping = WS_ERRORS[error.code];
    if ('close' in mapping) {
      client.close(mapping.close, error.message);
      return;
    }
    sendFrame(
      client,
      reply(frame?.id, {
        error: {
          code: mapping.frame,
          message: error.message,
          ...(error.details ? { details: error.details } : {}),
        },
      }),
    );
  }
}
