import { type ExecutionContext, Injectable } from '@nestjs/common';
import { ApiKeyGuard } from '@bookshop/platform';
import { type WebSocket } from 'ws';
import { connectionOf } from './connection';
import { type OperationFrame } from './frames';

/** The platform's API-key guard for frames: the operation is the one the frame's op binds, the key the connection's. */
@Injectable()
export class WsApiKeyGuard extends ApiKeyGuard {
  protected override callOf(context: ExecutionContext) {
    if (context.getType() !== 'ws') return super.callOf(context);
    const ws = context.switchToWs();
    const { authorization, address } = connectionOf(ws.getClient<WebSocket>());
    return { operation: ws.getData<Partial<OperationFrame>>().operation, authorization, address };
  }
}
