import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { freshTestDatabase, type RunningService, startService } from '@bookshop/testing';
import { type Client, SoapModule } from 'nestjs-soap';

export const KEY = 'e2e-key';
export const SOAP_ENV = 'http://schemas.xmlsoap.org/soap/envelope/';
export const WSSE =
  'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
export const PASSWORD_TEXT =
  'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText';

/** Debian's python3-xmlschema ships the WSDL 1.1 and SOAP 1.1 envelope schemas. */
export const XMLSCHEMA_SCHEMAS = '/usr/lib/python3/dist-packages/xmlschema/schemas/WSDL';
/** Debian's python, which sees Debian's python3-zeep and python3-xmlschema. */
export const PYTHON = '/usr/bin/python3';

/** The SOAP service built from this tree, on a fresh database of the run's Postgres container. */
export async function startSoap(env: Record<string, string> = {}): Promise<RunningService> {
  return startService('soap', {
    env: { DATABASE_URL: await freshTestDatabase('soap'), API_KEYS: KEY, ...env },
  });
}

/** A SOAP 1.1 envelope around a body element, with optional header entries. */
export function envelope(body: string, header = ''): string {
  return (
    `<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="${SOAP_ENV}" xmlns:b="urn:bookshop:v1">` +
    (header ? `<s:Header>${header}</s:Header>` : '') +
    `<s:Body>${body}</s:Body></s:Envelope>`
  );
}

/** A wsse:Security header with a UsernameToken. */
export function security(password: string, type: string = PASSWORD_TEXT): string {
  return (
    `<w:Security xmlns:w="${WSSE}" s:mustUnderstand="1"><w:UsernameToken>` +
    `<w:Username>e2e</w:Username><w:Password Type="${type}">${password}</w:Password>` +
    '</w:UsernameToken></w:Security>'
  );
}

export interface RawReply {
  status: number;
  contentType: string | null;
  requestId: string | null;
  text: string;
}

/** POSTs raw bytes to /soap with the given headers (text/xml and an empty SOAPAction by default). */
export async function post(
  service: RunningService,
  body: string | Buffer,
  headers: Record<string, string> = {},
): Promise<RawReply> {
  const response = await fetch(`${service.url}/soap`, {
    method: 'POST',
    headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '""', ...headers },
    body: typeof body === 'string' ? Buffer.from(body) : body,
  });
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    requestId: response.headers.get('x-request-id'),
    text: await response.text(),
  };
}

/** The text of the first element with this local name, or undefined. */
export function textOf(xml: string, localName: string): string | undefined {
  const match = new RegExp(
    `<(?:\\w+:)?${localName}(?:\\s[^>]*)?>([^<]*)</(?:\\w+:)?${localName}>`,
  ).exec(xml);
  return match?.[1];
}

/**
 * Validates documents with Debian's xmllint: a WSDL against the WSDL 1.1
 * schema, an envelope against the SOAP 1.1 envelope schema together with
 * the service's own schema (so every element of the Body and the fault
 * detail is checked against bookshop.wsdl's types).
 */
export class SchemaCheck {
  private readonly folder = mkdtempSync(join(tmpdir(), 'bookshop-soap-'));
  private count = 0;

  constructor(wsdl: string) {
    for (const file of ['wsdl.xsd', 'soap-envelope.xsd']) {
      if (!existsSync(join(XMLSCHEMA_SCHEMAS, file))) {
        throw new Error(
          `${XMLSCHEMA_SCHEMAS}/${file} is missing: apt-get install python3-xmlschema`,
        );
      }
    }
    const schema = /<xsd:schema[\s\S]*<\/xsd:schema>/.exec(wsdl)?.[0];
    if (!schema) throw new Error('The WSDL has no inline schema');
    writeFileSync(
      join(this.folder, 'bookshop.xsd'),
      schema.replace(
        '<xsd:schema ',
        '<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:tns="urn:bookshop:v1" ',
      ),
    );
    writeFileSync(
      join(this.folder, 'envelope.xsd'),
      '<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">' +
        `<xsd:import namespace="${SOAP_ENV}" schemaLocation="${XMLSCHEMA_SCHEMAS}/soap-envelope.xsd"/>` +
        '<xsd:import namespace="urn:bookshop:v1" schemaLocation="bookshop.xsd"/></xsd:schema>',
    );
  }

  /** Throws with xmllint's complaint when the WSDL is not valid WSDL 1.1. */
  wsdl(xml: string): void {
    this.validate(xml, join(XMLSCHEMA_SCHEMAS, 'wsdl.xsd'));
  }

  /** Throws with xmllint's complaint when the envelope or its content breaks a schema. */
  envelope(xml: string): void {
    this.validate(xml, join(this.folder, 'envelope.xsd'));
  }

  private validate(xml: string, schema: string): void {
    const file = join(this.folder, `document-${++this.count}.xml`);
    writeFileSync(file, xml);
    try {
      execFileSync('xmllint', ['--noout', '--nonet', '--schema', schema, file], { stdio: 'pipe' });
    } catch (error) {
      const { stderr } = error as { stderr?: Buffer };
      throw new Error(`${file} is not valid: ${stderr?.toString() ?? String(error)}`);
    }
  }
}

/** What node `soap` rejects with when the service answers with a Fault. */
export interface SoapClientFault {
  root?: {
    Envelope?: {
      Body?: {
        Fault?: {
          faultcode: string;
          faultstring: string;
          detail?: {
            BookshopFault?: { code: string; message: string; issue?: unknown; shortage?: unknown };
          };
        };
      };
    };
  };
}

/**
 * SOAP clients built the way a Nest application consuming a SOAP service
 * builds them: nestjs-soap's SoapModule reads the served WSDL. `writer` sends
 * a WS-Security UsernameToken with the key as PasswordText, `intruder` one
 * with a wrong key, `reader` none.
 */
export async function soapClients(service: RunningService) {
  const wsdl = `${service.url}/soap?wsdl`;
  const token = (password: string) => ({
    type: 'wssecurity' as const,
    username: 'e2e',
    password,
    options: { passwordType: 'PasswordText', hasTimeStamp: false },
  });
  const register = (clientName: string, password?: string): DynamicModule =>
    SoapModule.register({ clientName, uri: wsdl, ...(password ? { auth: token(password) } : {}) });

  @Module({
    imports: [
      register('BOOKSHOP_WRITER', KEY),
      register('BOOKSHOP_INTRUDER', 'not-the-key'),
      register('BOOKSHOP_READER'),
    ],
  })
  class BookshopClientsModule {}

  const app = await NestFactory.createApplicationContext(BookshopClientsModule, { logger: false });
  return {
    writer: app.get<Client>('BOOKSHOP_WRITER'),
    intruder: app.get<Client>('BOOKSHOP_INTRUDER'),
    reader: app.get<Client>('BOOKSHOP_READER'),
    close: () => app.close(),
  };
}

/** Calls `<Operation>Async` on a node `soap` client and returns the response element as an object. */
export async function invoke(client: Client, operation: string, args: unknown): Promise<any> {
  const method = (client as unknown as Record<string, (a: unknown) => Promise<unknown[]>>)[
    `${operation}Async`
  ];
  if (!method) throw new Error(`The client has no ${operation}Async: the WSDL does not declare it`);
  const [result] = await method.call(client, args);
  return result;
}

/** The Fault a node `soap` call was answered with (fails when it succeeded). */
export async function faultOf(client: Client, operation: string, args: unknown) {
  try {
    await invoke(client, operation, args);
  } catch (error) {
    const fault = (error as SoapClientFault).root?.Envelope?.Body?.Fault;
    if (!fault) throw error;
    return fault;
  }
  throw new Error(`${operation} succeeded`);
}

export { uniqueIsbn } from '@bookshop/testing';
