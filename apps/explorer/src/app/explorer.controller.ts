import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Body, Controller, Get, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import { PROTOCOLS } from '@bookshop/clients';
import {
  catalogue,
  DomainError,
  inputSchema,
  isOperationName,
  OPERATION_NAMES,
} from '@bookshop/domain';
import { type FastifyReply } from 'fastify';
import { runOnAll } from './exchange';
import { preparePreset, PRESET_NAMES, type PresetName } from './presets';
import { EXPLORER_SETTINGS, type ExplorerSettings } from './settings';

/** The page's files: bundled by `nx page explorer`, copied beside the service's bundle by its build. */
const PAGE_DIR = [join(__dirname, 'page'), join(__dirname, '../explorer-page')].find((dir) =>
  existsSync(join(dir, 'index.html')),
);

const PAGE_FILES: Record<string, string> = {
  'main.js': 'text/javascript; charset=utf-8',
  'main.js.map': 'application/json; charset=utf-8',
  'documents.js': 'text/javascript; charset=utf-8',
  'documents.js.map': 'application/json; charset=utf-8',
  'main.css': 'text/css; charset=utf-8',
};

/** Packages' browser files the page loads (`vendor.json`), copied beside it. */
const VENDOR_FILES: Record<string, string> = {
  'asyncapi.js': 'text/javascript; charset=utf-8',
  'asyncapi.css': 'text/css; charset=utf-8',
};

/** The contract documents the explorer shows readably, and where each service serves its own. */
const DOCUMENTS = {
  soap: { path: '/soap?wsdl', type: 'text/xml; charset=utf-8' },
  jsonrpc: { path: '/rpc', type: 'application/json; charset=utf-8' },
  websocket: { path: '/asyncapi.json', type: 'application/json; charset=utf-8' },
} as const;
type DocumentProtocol = keyof typeof DOCUMENTS;

/** How long the explorer waits for a service's document. */
const DOCUMENT_TIMEOUT_MS = 5000;

/** What the page sends to run one call over all five protocols. */
interface ExchangeRequest {
  operation?: unknown;
  input?: unknown;
  withoutKey?: unknown;
  preset?: unknown;
}

/** The most of an input the reply echoes (a 1 MiB preset is shown by its size). */
const MAX_ECHO = 4096;

@Controller()
export class ExplorerController {
  constructor(@Inject(EXPLORER_SETTINGS) private readonly settings: ExplorerSettings) {}

  @Get()
  page(@Res() reply: FastifyReply) {
    return this.file('index.html', 'text/html; charset=utf-8', reply);
  }

  @Get(':file')
  asset(@Param('file') name: string, @Res() reply: FastifyReply) {
    const type = PAGE_FILES[name];
    if (!type) throw new DomainError('NOT_FOUND', `No page file ${name}`);
    return this.file(name, type, reply);
  }

  @Get('vendor/:file')
  vendor(@Param('file') name: string, @Res() reply: FastifyReply) {
    const type = VENDOR_FILES[name];
    if (!type) throw new DomainError('NOT_FOUND', `No vendor file ${name}`);
    return this.file(join('vendor', name), type, reply);
  }

  /** A readable view of the WSDL, the OpenRPC or the AsyncAPI document. */
  @Get('documents/:protocol')
  documentPage(@Param('protocol') protocol: string, @Res() reply: FastifyReply) {
    documentProtocol(protocol);
    return this.file('documents.html', 'text/html; charset=utf-8', reply);
  }

  /** The document as its service serves it, fetched here so the page needs no CORS. */
  @Get('api/documents/:protocol')
  async document(@Param('protocol') protocol: string, @Res() reply: FastifyReply) {
    const { path, type } = DOCUMENTS[documentProtocol(protocol)];
    const url = `${this.settings.targets[protocol as DocumentProtocol]}${path}`;
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(DOCUMENT_TIMEOUT_MS) });
    } catch {
      throw new DomainError('UNAVAILABLE', `The ${protocol} service did not answer at ${url}`);
    }
    if (!response.ok) {
      throw new DomainError('UNAVAILABLE', `The ${protocol} service answered ${response.status}`);
    }
    return reply.type(type).send(await response.text());
  }

  /** The catalogue as the page builds its form from: names, summaries, input schemas. */
  @Get('api/operations')
  operations() {
    return OPERATION_NAMES.map((name) => ({
      name,
      summary: catalogue[name].summary,
      writes: catalogue[name].writes,
      input: inputSchema(name, 'draft-2020-12'),
    }));
  }

  /** Where the services are (the page subscribes to the two that push events) and the presets. */
  @Get('api/config')
  config() {
    return {
      services: Object.fromEntries(
        PROTOCOLS.map((protocol) => [protocol, { port: this.settings.publicPorts[protocol] }]),
      ),
      presets: PRESET_NAMES,
    };
  }

  /** Runs one call over all five protocols and answers with the five transcripts. */
  @Post('api/exchange')
  @HttpCode(200)
  async exchange(@Body() body: ExchangeRequest) {
    const { operation, input, withoutKey } = await this.requested(body ?? {});
    const runs = await runOnAll(
      this.settings.targets,
      operation,
      input,
      withoutKey ? undefined : this.settings.apiKey,
    );
    const echoed = JSON.stringify(input) ?? 'null';
    return {
      operation,
      input: echoed.length <= MAX_ECHO ? input : `(${echoed.length} characters of JSON)`,
      withoutKey,
      runs,
    };
  }

  private async requested(body: ExchangeRequest) {
    if (body.preset !== undefined) {
      if (!(PRESET_NAMES as readonly unknown[]).includes(body.preset)) {
        throw DomainError.invalidField('preset', `must be one of ${PRESET_NAMES.join(', ')}`);
      }
      const preset = await preparePreset(
        body.preset as PresetName,
        this.settings.targets.rest,
        this.settings.apiKey,
      );
      return { ...preset, withoutKey: preset.withoutKey === true };
    }
    if (!isOperationName(body.operation)) {
      throw DomainError.invalidField('operation', 'must name a catalogue operation');
    }
    return {
      operation: body.operation,
      input: body.input ?? {},
      withoutKey: body.withoutKey === true,
    };
  }

  private file(name: string, type: string, reply: FastifyReply) {
    if (!PAGE_DIR) throw new Error('The explorer page is not built: run `npx nx page explorer`');
    return reply.type(type).send(readFileSync(join(PAGE_DIR, name)));
  }
}

function documentProtocol(protocol: string): DocumentProtocol {
  if (!Object.prototype.hasOwnProperty.call(DOCUMENTS, protocol)) {
    throw new DomainError(
      'NOT_FOUND',
      `No readable document for ${protocol}: one of ${Object.keys(DOCUMENTS).join(', ')}`,
    );
  }
  return protocol as DocumentProtocol;
}
