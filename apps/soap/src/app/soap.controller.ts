import { Body, Controller, Get, Headers, Post, Query, Req, Res } from '@nestjs/common';
import { markCallerFault, requestIdOf } from '@bookshop/platform';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { SOAP_CONTENT_TYPE, SoapFault } from './soap-envelope';
import { renderFault, toFault } from './soap-errors';
import { SoapEndpoint } from './soap.endpoint';
import { wsdlAt } from './soap.document';

/** A Host header fit to be written into the WSDL's address. */
const HOST = /^[\w.-]+(:\d{1,5})?$|^\[[\da-fA-F:.]+\](:\d{1,5})?$/;

@Controller('soap')
export class SoapController {
  constructor(private readonly endpoint: SoapEndpoint) {}

  /** `GET /soap?wsdl`: the WSDL, its address set to the one the client used. */
  @Get()
  describe(
    @Query() query: Record<string, unknown>,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): void {
    const wantsWsdl = Object.keys(query).some((key) => key.toLowerCase() === 'wsdl');
    if (!wantsWsdl) {
      const { fault } = toFault(
        SoapFault.badRequest('GET /soap?wsdl for the WSDL; POST SOAP 1.1 envelopes to /soap'),
      );
      markCallerFault(reply.raw);
      void reply
        .status(500)
        .type(SOAP_CONTENT_TYPE)
        .send(renderFault(fault, requestIdOf(request.raw)));
      return;
    }
    const host = HOST.test(request.host) ? request.host : 'localhost';
    void reply
      .type(SOAP_CONTENT_TYPE)
      .send(wsdlAt(this.endpoint.wsdl, `${request.protocol}://${host}/soap`));
  }

  /** `POST /soap`: one SOAP 1.1 request; a Fault goes out with HTTP 500 (SOAP 1.1 §6.2). */
  @Post()
  async call(
    @Body() body: string | undefined,
    @Headers('content-type') contentType: string | undefined,
    @Headers('soapaction') soapAction: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const response = await this.endpoint.handle({
      body: typeof body === 'string' ? body : '',
      contentType,
      soapAction,
      requestId: requestIdOf(request.raw),
      address: request.ip,
    });
    // Every fault goes with HTTP 500; only the service's own are errors in the request log.
    if (response.fault && response.fault !== 'Server') markCallerFault(reply.raw);
    void reply
      .status(response.fault ? 500 : 200)
      .type(SOAP_CONTENT_TYPE)
      .send(response.envelope);
  }
}
