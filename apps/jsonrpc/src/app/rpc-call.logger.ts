import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  Logger,
  type NestInterceptor,
} from '@nestjs/common';
import { isDomainError } from '@bookshop/domain';
import { type OperationCall } from '@bookshop/platform';
import { type Observable, tap } from 'rxjs';

/** One structured log line per JSON-RPC call: the method, how long it took, and its outcome. */
@Injectable()
export class RpcCallLogger implements NestInterceptor {
  private readonly logger = new Logger('JsonRpc');

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const { operation } = context.switchToRpc().getData<OperationCall>();
    const started = performance.now();
    const done = (outcome: string) =>
      this.logger.log(
        { rpc: { method: operation, outcome, ms: Math.round(performance.now() - started) } },
        'rpc call',
      );
    return next.handle().pipe(
      tap({
        next: () => done('ok'),
        error: (error: unknown) => done(isDomainError(error) ? error.code : 'INTERNAL'),
      }),
    );
  }
}
