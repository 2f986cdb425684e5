import { Body, Controller, Headers, HttpCode, Post, Res } from '@nestjs/common';
import { callRecordsOf } from '@bookshop/platform';
import { type FastifyReply } from 'fastify';
import { INVALID_REQUEST } from './json-rpc/json-rpc';
import { JsonRpcEndpoint } from './json-rpc.endpoint';

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
  @Post('rpc')
  @HttpCode(200)
  async handle(
    @Body() body: string | undefined,
    @Headers('content-type') contentType: string | undefined,
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
    if (mediaType && !ACCEPTED.has(mediaType)) {
      void reply.status(415);
      return {
        jsonrpc: '2.0',
        error: {
          code: INVALID_REQUEST,
          message: 'Invalid Request',
          data: { code: 'BAD_REQUEST', reason: `unsupported media type ${mediaType}` },
        },
        id: null,
      };
    }
    const response = await this.endpoint.server.handle(body ?? '', {
      authorization,
      address: reply.request.ip,
      records: callRecordsOf(reply.request.raw),
    });
    if (response === undefined) {
      void reply.status(204);
      return undefined;
    }
    void reply.header('content-type', 'application/json; charset=utf-8');
    return response;
  }
}
