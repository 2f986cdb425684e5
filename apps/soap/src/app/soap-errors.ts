import { type ErrorCode, type ErrorDetails, type FieldIssue } from '@bookshop/domain';
import { type TransportErrorRenderer, toClientError } from '@bookshop/platform';
import { BOOKSHOP_NS, type FaultCode, SOAP_11_ENVELOPE, SoapFault } from './soap-envelope';

/**
 * The contract's codes as SOAP 1.1 fault codes (CONTRACT.md, "Errors"): the
 * caller's fault is `Client`, ours is `Server` (SOAP 1.1 §4.4.1).
 */
export const SOAP_FAULT_CODES = {
  BAD_REQUEST: 'Client',
  VALIDATION_FAILED: 'Client',
  UNAUTHENTICATED: 'Client',
  NOT_FOUND: 'Client',
  CONFLICT: 'Client',
  OUT_OF_STOCK: 'Client',
  PAYLOAD_TOO_LARGE: 'Client',
  RATE_LIMITED: 'Server',
  UNAVAILABLE: 'Server',
  INTERNAL: 'Server',
} as const satisfies Record<ErrorCode, FaultCode>;

/** What a fault envelope says: the SOAP fault code and string, and the contract's error when it has one. */
export interface FaultMessage {
  faultCode: FaultCode;
  message: string;
  code?: ErrorCode;
  details?: ErrorDetails;
}

/**
 * A thrown value as a fault: a SoapFault or DomainError as it is; anything
 * else as a bland `Server` fault with INTERNAL, and `unexpected` set so that
 * the caller logs the original whole.
 */
export function toFault(thrown: unknown): { fault: FaultMessage; unexpected: boolean } {
  if (thrown instanceof SoapFault) {
    return {
      fault: {
        faultCode: thrown.faultCode,
        message: thrown.message,
        ...(thrown.code ? { code: thrown.code } : {}),
      },
      unexpected: false,
    };
  }
  const { error, unexpected } = toClientError(thrown);
  return {
    fault: {
      faultCode: SOAP_FAULT_CODES[error.code],
      message: error.message,
      code: error.code,
      ...(error.details ? { details: error.details } : {}),
    },
    unexpected,
  };
}

/**
 * A SOAP 1.1 Fault envelope (§4.4): `faultcode` as a QName in the envelope
 * namespace, `faultstring`, and `detail` holding a `tns:BookshopFault` with
 * the contract's code, message, field issues or short lines, and the request
 * id. A fault about a header entry carries no detail (§4.4).
 */
export function renderFault(fault: FaultMessage, requestId?: string): string {
  const detail =
    fault.code === undefined
      ? ''
      : `<detail><b:BookshopFault xmlns:b="${BOOKSHOP_NS}">` +
        element('code', fault.code) +
        element('message', fault.message) +
        detailsXml(fault.details) +
        (requestId ? element('requestId', requestId) : '') +
        '</b:BookshopFault></detail>';
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    `<soap:Envelope xmlns:soap="${SOAP_11_ENVELOPE}"><soap:Body><soap:Fault>` +
    `<faultcode>soap:${fault.faultCode}</faultcode>` +
    `<faultstring>${escapeXml(fault.message)}</faultstring>` +
    detail +
    '</soap:Fault></soap:Body></soap:Envelope>'
  );
}

function detailsXml(details: ErrorDetails | undefined): string {
  return (details ?? [])
    .map((entry) =>
      isFieldIssue(entry)
        ? `<b:issue>${element('path', entry.path)}${element('message', entry.message)}</b:issue>`
        : `<b:shortage>${element('bookId', entry.bookId)}${element('requested', String(entry.requested))}${element('available', String(entry.available))}</b:shortage>`,
    )
    .join('');
}

function isFieldIssue(entry: ErrorDetails[number]): entry is FieldIssue {
  return 'path' in entry;
}

function element(name: string, text: string): string {
  return `<b:${name}>${escapeXml(text)}</b:${name}>`;
}

/**
 * Escapes text for element content and attribute values; characters XML 1.0
 * cannot carry at all (§2.2) become U+FFFD.
 */
export function escapeXml(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD')
      .replace(/[<>&"']/g, (char) => ENTITIES[char] ?? char)
  );
}

const ENTITIES: Record<string, string> = {
  '<': '&lt;',
  '>': '&gt;',
  '&': '&amp;',
  '"': '&quot;',
  "'": '&apos;',
};

/**
 * A failure before the endpoint ran (a malformed URL, headers over 16 KiB) as
 * a Fault envelope: with HTTP 500 at /soap, as every SOAP 1.1 fault (§6.2),
 * or when the path is unknown; elsewhere with the transport's status.
 */
export const renderSoapTransportError: TransportErrorRenderer = (failure, request) => ({
  status: request.path === '' || request.path === '/soap' ? 500 : failure.status,
  contentType: 'text/xml; charset=utf-8',
  body: renderFault(toFault(failure.error).fault, request.requestId),
});
