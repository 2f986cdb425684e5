import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { ExternalContextCreator } from '@nestjs/core';
import { type OperationName } from '@bookshop/domain';
import { type CallCredentials, callThroughNest, type CatalogueCall } from '@bookshop/platform';
import { type IOptions, type IServerOptions, type IServices, listen, type Server } from 'soap';
import { BookshopSoapService } from './bookshop.soap-service';
import {
  type FaultCode,
  inspectEnvelope,
  PASSWORD_TEXT,
  SoapFault,
  type UsernameToken,
} from './soap-envelope';
import { renderFault, toFault } from './soap-errors';
import {
  OPERATION_BY_SOAP_NAME,
  readXsdInt,
  soapInput,
  soapOutput,
  type SoapArgs,
} from './soap.bindings';
import { SOAP_SETTINGS, type SoapSettings } from './settings';
import { buildWsdl } from './soap.document';

/** The HTTP facts of one SOAP request. */
export interface SoapRequest {
  body: string;
  contentType?: string;
  soapAction?: string;
  requestId: string;
  /** The client's address, for the rate limits. */
  address?: string;
}

/** One SOAP response: an envelope, and whether it is a Fault (SOAP 1.1 §6.2: those go with HTTP 500). */
export interface SoapResponse {
  envelope: string;
  fault: FaultCode | undefined;
}

/** What a handler called by node `soap` needs of its request, and what it leaves for the endpoint. */
interface CallState {
  credentials: CallCredentials;
  /** The `tns:IdempotencyKey` header entry's text. */
  idempotencyKey?: string;
  failure?: { thrown: unknown };
}

/**
 * The SOAP 1.1 endpoint. A request passes the envelope checks of
 * soap-envelope.ts first; node `soap` then reads the operation element
 * against bookshop.wsdl, calls the operation's handler and writes the
 * response element. Every fault, whoever raised it, is written here
 * (soap-errors.ts), so none is ever node `soap`'s own: those are SOAP 1.2
 * shaped, may carry a stack trace, and go out with HTTP 200 or 401.
 */
@Injectable()
export class SoapEndpoint implements OnModuleInit {
  readonly wsdl = buildWsdl();
  private readonly logger = new Logger('Soap');
  private readonly calls = new WeakMap<object, CallState>();
  private server!: Server;
  private callOperation!: (call: CatalogueCall, credentials: CallCredentials) => Promise<unknown>;

  constructor(
    private readonly externalContextCreator: ExternalContextCreator,
    private readonly service: BookshopSoapService,
    @Inject(SOAP_SETTINGS) private readonly settings: SoapSettings,
  ) {}

  async onModuleInit(): Promise<void> {
    // Nest's external context runs the service's guard around each call.
    this.callOperation = callThroughNest(this.externalContextCreator, this.service);
    this.server = await new Promise<Server>((resolve, reject) => {
      const options: IServerOptions & Pick<IOptions, 'customDeserializer'> = {
        path: '/soap',
        xml: this.wsdl,
        services: this.services(),
        // The WSDL reader takes this option for servers too; the types list it for clients only.
        customDeserializer: { int: readXsdInt },
        callback: (error: unknown, server: Server) =>
          error
            ? reject(new Error('bookshop.wsdl could not be read', { cause: error }))
            : resolve(server),
      };
      listen(null, options);
    });
  }

  async handle(request: SoapRequest): Promise<SoapResponse> {
    try {
      const facts = inspectEnvelope(request.body, { maxDepth: this.settings.maxDepth });
      checkContentType(request.contentType);
      const operation = OPERATION_BY_SOAP_NAME.get(facts.operation);
      if (!operation) throw SoapFault.badRequest(`There is no operation ${facts.operation}`);
      checkSoapAction(request.soapAction, facts.operation);

      // node `soap` hands each handler the request's headers object: it finds the call's state.
      const headers = {};
      const state: CallState = {
        credentials: { apiKey: apiKeyOf(facts.usernameToken), address: request.address },
        idempotencyKey: facts.idempotencyKey,
      };
      this.calls.set(headers, state);
      const response = await this.server.processRequest(request.body, { headers });
      if (state.failure) throw state.failure.thrown;
      if (response.statusCode !== 200) {
        // No handler ran, so node soap could not read the envelope: the caller's to fix.
        this.logger.warn(
          { soap: { status: response.statusCode } },
          'node soap refused an envelope',
        );
        throw SoapFault.badRequest('The envelope could not be read as the WSDL describes it');
      }
      return { envelope: response.body, fault: undefined };
    } catch (thrown) {
      const { fault, unexpected } = toFault(thrown);
      if (unexpected) this.logger.error({ err: thrown }, 'Unexpected error');
      return { envelope: renderFault(fault, request.requestId), fault: fault.faultCode };
    }
  }

  /** One handler per operation, as node `soap` calls them: service → port → operation. */
  private services(): IServices {
    const handlers = Object.fromEntries(
      [...OPERATION_BY_SOAP_NAME].map(([soapName, operation]) => [
        soapName,
        (args: SoapArgs, _callback: unknown, _headers: unknown, req: { headers: object }) =>
          this.run(operation, args, req.headers),
      ]),
    );
    return { BookshopService: { BookshopPort: handlers } };
  }

  private async run(
    operation: OperationName,
    args: SoapArgs,
    headers: object,
  ): Promise<Record<string, unknown>> {
    const state = this.calls.get(headers);
    if (!state) throw new Error('A SOAP handler ran without its call state');
    try {
      const result = await this.callOperation(
        {
          operation,
          params: soapInput(operation, args),
          idempotencyKey:
            state.idempotencyKey === undefined ? undefined : { key: state.idempotencyKey },
        },
        state.credentials,
      );
      return soapOutput(operation, result);
    } catch (thrown) {
      // The endpoint writes the fault; node soap's own rendering of it is discarded.
      state.failure = { thrown };
      throw thrown;
    }
  }
}

/** SOAP 1.1 §6.1.1 and WS-I BP 1.1 R1117: a SOAP 1.1 request is `text/xml`. */
function checkContentType(contentType: string | undefined): void {
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  if (mediaType === 'text/xml') return;
  throw SoapFault.badRequest(
    `A SOAP 1.1 request is sent as text/xml, not ${mediaType ? mediaType : 'without a Content-Type'}`,
  );
}

/**
 * SOAP 1.1 §6.1.1: the SOAPAction header is required; WS-I BP 1.1 R2744: its
 * value is the binding's soapAction for the operation. An empty value
 * ("") names no action and is accepted.
 */
function checkSoapAction(header: string | undefined, operation: string): void {
  if (header === undefined) {
    throw SoapFault.badRequest(
      `A SOAP 1.1 request needs a SOAPAction header; this one is "urn:bookshop:v1#${operation}"`,
    );
  }
  const action = header.trim().replace(/^"(.*)"$/, '$1');
  if (action === '' || action === `urn:bookshop:v1#${operation}`) return;
  throw SoapFault.badRequest(
    `SOAPAction "${action}" does not match the ${operation} element; expected "urn:bookshop:v1#${operation}"`,
  );
}

/** The API key in a UsernameToken: the Password when it is PasswordText (the default type). */
function apiKeyOf(token: UsernameToken | undefined): string | undefined {
  if (!token?.password) return undefined;
  if (token.passwordType !== undefined && token.passwordType !== PASSWORD_TEXT) return undefined;
  return token.password.trim();
}
