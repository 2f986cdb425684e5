import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { ExternalContextCreator } from '@nestjs/core';
import { DomainError } from '@bookshop/domain';
import { type CallCredentials, callThroughNest, type CatalogueCall } from '@bookshop/platform';
import { BookshopJsonrpcService } from './bookshop.jsonrpc-service';
import { OPERATION_BY_METHOD } from './jsonrpc.bindings';
import { type JsonRpcRequest } from './json-rpc/json-rpc';
import { JsonRpcServer } from './json-rpc/json-rpc.server';
import { buildOpenRpcDocument } from './jsonrpc.document';
import { methodNotFound, protocolErrorData, toRpcError } from './jsonrpc-errors';

/** At most this many calls in one batch (CONTRACT.md); more gets one Invalid Request. */
export const MAX_BATCH = 100;

/** What one HTTP request gives its calls: the caller's credentials and `Idempotency-Key`. */
export interface RpcContext extends CallCredentials {
  idempotencyKey?: string;
}

/**
 * The methods this service answers: every catalogue operation by its dotted
 * name, and `rpc.discover`. Only translation happens here: the method name
 * picks the operation, the by-name params are its input.
 */
@Injectable()
export class JsonRpcEndpoint implements OnModuleInit {
  private readonly logger = new Logger('JsonRpc');
  /** The OpenRPC document `rpc.discover` (and `GET /rpc`) returns. */
  readonly discovery = buildOpenRpcDocument();
  private callCatalogue!: (call: CatalogueCall, credentials: CallCredentials) => Promise<unknown>;
  readonly server = new JsonRpcServer<RpcContext>({
    maxBatch: MAX_BATCH,
    protocolErrorData,
    invoke: (request, context, batched) => this.invoke(request, context, batched),
    toError: (thrown, request) => {
      const { error, unexpected } = toRpcError(thrown);
      if (unexpected)
        this.logger.error({ err: thrown, rpc: { method: request.method } }, 'Unexpected error');
      return error;
    },
  });

  constructor(
    private readonly externalContextCreator: ExternalContextCreator,
    private readonly methods: BookshopJsonrpcService,
  ) {}

  onModuleInit(): void {
    // Nest's external context runs the class's guard around each call.
    this.callCatalogue = callThroughNest(this.externalContextCreator, this.methods);
  }

  private async invoke(
    request: JsonRpcRequest,
    context: RpcContext,
    batched: boolean,
  ): Promise<unknown> {
    if (request.method === 'rpc.discover') return this.discovery;
    const operation = OPERATION_BY_METHOD.get(request.method);
    if (operation === undefined) {
      throw methodNotFound(request.method);
    }
    if (Array.isArray(request.params)) {
      // Parameters by position are optional in the specification (§4.2) and not offered.
      throw new DomainError('VALIDATION_FAILED', 'Invalid params', [
        { path: '', message: 'params go by name: send an object' },
      ]);
    }
    // One header for a whole batch: each call is keyed by it and the call's id (CONTRACT.md,
    // "Safe retries"). A lone call is keyed by the header alone, so a retry may renumber it.
    const idempotencyKey =
      context.idempotencyKey === undefined
        ? undefined
        : {
            key: context.idempotencyKey,
            call: batched && request.id !== undefined ? JSON.stringify(request.id) : undefined,
          };
    return this.callCatalogue({ operation, params: request.params, idempotencyKey }, context);
  }
}
