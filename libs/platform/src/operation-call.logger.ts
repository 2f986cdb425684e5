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
import { type CallRecord } from './logging';

/**
 * Records each operation call through a non-HTTP dispatch (a JSON-RPC call
 * of a batch, a SOAP operation): the operation, how long it took, and its
 * outcome (`ok` or the contract's error code). A call that carries its
 * request's `records` goes onto that request's log line; one without them
 * gets a line of its own.
 */
@Injectable()
export class OperationCallLogger implements NestInterceptor {
  private readonly logger = new Logger('OperationCall');

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const { operation, records } = context.switchToRpc().getData<OperationCall>();
    const started = performance.now();
    const done = (outcome: string) => {
      const call: CallRecord = { operation, outcome, ms: Math.round(performance.now() - started) };
      if (records) records.push(call);
      else this.logger.log({ call }, 'operation call');
    };
    return next.handle().pipe(
      tap({
        next: () => done('ok'),
        error: (error: unknown) => done(isDomainError(error) ? error.code : 'INTERNAL'),
      }),
    );
  }
}
