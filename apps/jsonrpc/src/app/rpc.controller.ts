import { Body, Controller, Get, Headers, HttpCode, Post, Res } from '@nestjs/common';
import { classifyTransportStatus, type TransportFailure } from '@bookshop/platform';
import { type FastifyReply } from 'fastify';
import { JsonRpcEndpoint } from './json-rpc.endpoint';
import { toRpcError } from './jsonrpc-errors';

/** The media types a JSON-RPC request may carry; none at all is accepted too. */
const ACCEPTED = new Set(['application/json', 'application/json-rpc', 'application/jsonrequest']);

@Controller()
export class RpcController {
  constructor(private readonly endpoint: JsonRpcEndpoint) {}

  /**
   * The raw body reaches the JSON-RPC layer untouched (see configure.ts), so
   * malformed JSON is answered with -32700 as §5 asks, not with HTTP 400.
   * Every reply is HTTP 200; nothing to reply (notifications only) is 204.
   */
  /** The OpenRPC document, as `rpc.discover` returns it, for a browser or curl. */
  @Get('rpc')
  discover() {
    return this.endpoint.discovery;
  }

  @Post('rpc')
  @HttpCode(200)
  async handle(
    @Body() body: string | undefined,
    @Headers('content-type') contentType: string | undefined,
    @Headers('authorization') authorization: string | undefined,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
    if (mediaType && !ACCEPTED.has(mediaType)) {
      const failure = classifyTransportStatus(
        415,
        `Unsupported media type ${mediaType}`,
      ) as TransportFailure;
      void reply.status(failure.status);
      return { jsonrpc: '2.0', error: toRpcError(failure.error).error.toObject(), id: null };
    }
    const response = await this.endpoint.server.handle(body ?? '', {
      authorization,
      idempotencyKey,
      address: reply.request.ip,
    });
    if (response === undefined) {
      void reply.status(204);
      return undefined;
    }
    void reply.header('content-type', 'application/json; charset=utf-8');
    return response;
  }
}
