import { catalogue, DEFAULT_PORTS } from '@bookshop/domain';
import { collectionAbout, DEV_API_KEY, type HttpCollection } from '@bookshop/platform';
import { SOAP_BINDINGS, type SoapBinding } from './soap.bindings';

const NAMESPACE = 'urn:bookshop:v1';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const escapeXml = (text: string) => text.replace(/[&<>]/g, (c) => ENTITIES[c] ?? c);

/** A value as `<b:name>` children: a list repeats the element, an object nests its fields. */
function children(fields: Record<string, unknown>, indent: string): string[] {
  return Object.entries(fields).flatMap(([name, value]) => {
    if (value === undefined || value === null) return [];
    if (Array.isArray(value))
      return (value as unknown[]).flatMap((each) => children({ [name]: each }, indent));
    if (typeof value === 'object')
      return [
        `${indent}<b:${name}>`,
        ...children(value as Record<string, unknown>, `${indent}  `),
        `${indent}</b:${name}>`,
      ];
    return [
      `${indent}<b:${name}>${escapeXml(typeof value === 'string' ? value : JSON.stringify(value))}</b:${name}>`,
    ];
  });
}

/** A write's WS-Security header: a UsernameToken whose password (PasswordText) is the API key. */
const SECURITY = [
  '  <soap:Header>',
  '    <wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd" soap:mustUnderstand="1">',
  '      <wsse:UsernameToken>',
  '        <wsse:Username>bookshop-client</wsse:Username>',
  '        <wsse:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText">{{apiKey}}</wsse:Password>',
  '      </wsse:UsernameToken>',
  '    </wsse:Security>',
  '  </soap:Header>',
];

/**
 * The example script over SOAP (`collections/soap.http`): for each step a
 * ready SOAP 1.1 envelope, its body the operation's element from
 * SOAP_BINDINGS with the input as children in the schema's order, writes
 * with the WS-Security header, and the binding's SOAPAction.
 */
export const SOAP_COLLECTION: HttpCollection = {
  about: collectionAbout('SOAP 1.1', 'apps/soap/src/app/soap.bindings.ts'),
  variables: { base: `http://localhost:${DEFAULT_PORTS.soap}`, apiKey: DEV_API_KEY },
  request: ({ operation, input }) => {
    const binding: SoapBinding = SOAP_BINDINGS[operation];
    const raw = input as Record<string, unknown>;
    // The schema's order: the input's fields as the catalogue declares them (the WSDL's sequence).
    const shape = Object.keys(catalogue[operation].input.shape);
    const ordered = Object.fromEntries(
      [...Object.keys(raw)]
        .sort((a, b) => shape.indexOf(a) - shape.indexOf(b))
        .map((key) => [key, raw[key]]),
    );
    const element = binding.request ? binding.request(ordered) : ordered;
    const envelope = [
      '<?xml version="1.0" encoding="utf-8"?>',
      `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:b="${NAMESPACE}">`,
      ...(catalogue[operation].writes ? SECURITY : []),
      '  <soap:Body>',
      `    <b:${binding.name}>`,
      ...children(element, '      '),
      `    </b:${binding.name}>`,
      '  </soap:Body>',
      '</soap:Envelope>',
    ];
    return {
      method: 'POST',
      target: '/soap',
      headers: {
        'Content-Type': 'text/xml; charset=utf-8',
        SOAPAction: `"${NAMESPACE}#${binding.name}"`,
      },
      body: envelope.join('\n'),
    };
  },
  // XPath: the first `id` of the response is the entity's own (an order's lines come after it).
  reference: (step, field) => `{{${step.name}.response.body.(//*[local-name()='${field}'])[1]}}`,
};
