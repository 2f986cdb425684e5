import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  Logger,
  type NestInterceptor,
} from '@nestjs/common';
import { isDomainError } from '@bookshop/domain';
import { type Observable, tap } from 'rxjs';
import { type OperationCall } from './api-key.guard';

/**
 * One structured log line per operation call through a non-HTTP dispatch
 * (a JSON-RPC call of a batch, a SOAP operation): the operation, how long it
 * took, and its outcome (`ok` or the contract's error code).
 */
@Injectable()
export class OperationCallLogger implements NestInterceptor {
  private readonly logger = new Logger('OperationCall');

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const { operation } = context.switchToRpc().getData<OperationCall>();
    const started = performance.now();
    const done = (outcome: string) =>
      this.logger.log(
        { call: { operation, outcome, ms: Math.round(performance.now() - started) } },
        'operation call',
      );
    return next.handle().pipe(
      tap({
        next: () => done('ok'),
        error: (error: unknown) => done(isDomainError(error) ? error.code : 'INTERNAL'),
      }),
    );
  }
}
