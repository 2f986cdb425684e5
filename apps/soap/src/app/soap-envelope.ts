import { type ErrorCode } from '@bookshop/domain';
import sax from 'sax';

/** SOAP 1.1 §6.1.1: messages travel as text/xml. */
export const SOAP_CONTENT_TYPE = 'text/xml; charset=utf-8';
export const SOAP_11_ENVELOPE = 'http://schemas.xmlsoap.org/soap/envelope/';
export const SOAP_12_ENVELOPE = 'http://www.w3.org/2003/05/soap-envelope';
export const BOOKSHOP_NS = 'urn:bookshop:v1';
export const WSSE_NS =
  'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
export const PASSWORD_TEXT =
  'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText';
/** SOAP 1.1 §4.2.2: the actor URI that names the next SOAP node, which this service is. */
const ACTOR_NEXT = 'http://schemas.xmlsoap.org/soap/actor/next';

/** The SOAP 1.1 fault codes (§4.4.1), without their namespace prefix. */
export type FaultCode = 'VersionMismatch' | 'MustUnderstand' | 'Client' | 'Server';

/**
 * A SOAP Fault to send. `code` is the contract's code for the BookshopFault
 * detail; a fault about a header entry has none, because SOAP 1.1 §4.4 says
 * `detail` "MUST NOT be used to carry information about error information
 * belonging to header entries".
 */
export class SoapFault extends Error {
  override readonly name = 'SoapFault';

  constructor(
    readonly faultCode: FaultCode,
    message: string,
    readonly code?: ErrorCode,
  ) {
    super(message);
  }

  static badRequest(message: string): SoapFault {
    return new SoapFault('Client', message, 'BAD_REQUEST');
  }
}

/** The WS-Security 1.0 UsernameToken of the message, as sent. */
export interface UsernameToken {
  username?: string;
  password?: string;
  /** The Password's Type attribute; absent means PasswordText (WSS UsernameToken Profile 1.0 §4.1). */
  passwordType?: string;
}

/** What the service needs to know about an envelope that may be processed. */
export interface EnvelopeFacts {
  /** The local name of the Body's one child element, in the Bookshop namespace. */
  operation: string;
  usernameToken?: UsernameToken;
  /** The text of the `tns:IdempotencyKey` header entry (CONTRACT.md, "Safe retries"). */
  idempotencyKey?: string;
}

export interface EnvelopeLimits {
  /** Elements nested deeper than this are refused (the Envelope is depth 1). */
  maxDepth: number;
}

/**
 * Reads a request body as a SOAP 1.1 envelope and refuses, with the fault the
 * spec names, what must not be processed, before node `soap` sees it:
 *
 * - not well-formed XML, or a root that is not an Envelope → `Client`;
 * - a Document Type Declaration or a processing instruction (§3: a SOAP
 *   message "MUST NOT contain" either) → `Client`, the moment the parser meets
 *   it, so no entity is ever declared, let alone resolved;
 * - elements nested deeper than `maxDepth` → `Client`;
 * - an Envelope in another namespace (a SOAP 1.2 one, say) → `VersionMismatch`
 *   (§4.4.1);
 * - a header entry meant for this node with `mustUnderstand="1"` that it does
 *   not understand → `MustUnderstand` (§4.2.3); `wsse:Security` and
 *   `tns:IdempotencyKey` (text only, at most one) are understood;
 * - a Body without exactly one child element in the Bookshop namespace
 *   (document/literal wrapped, WS-I BP 1.1 R2201), or anything after the Body
 *   (R1011) → `Client`.
 *
 * The parser never fetches or expands anything: sax knows only the five
 * predefined entities and character references.
 */
export function inspectEnvelope(xml: string, limits: EnvelopeLimits): EnvelopeFacts {
  const parser = sax.parser(true, { xmlns: true, position: true });
  const path: sax.QualifiedTag[] = [];
  let operation: string | undefined;
  let bodyChildren = 0;
  let seenBody = false;
  let security: { token: UsernameToken; field?: 'username' | 'password' } | undefined;
  let inOurSecurity = false;
  let idempotencyKey: string | undefined;
  let inIdempotencyKey = false;
  let seenRoot = false;

  parser.ondoctype = () => {
    throw SoapFault.badRequest('A SOAP message must not contain a DOCTYPE (SOAP 1.1 §3)');
  };
  parser.onprocessinginstruction = (instruction) => {
    // The XML declaration reaches sax as a processing instruction named "xml".
    if (instruction.name === 'xml' && path.length === 0 && !seenRoot) return;
    throw SoapFault.badRequest(
      'A SOAP message must not contain processing instructions (SOAP 1.1 §3)',
    );
  };
  parser.onerror = (error) => {
    throw SoapFault.badRequest(`The body is not well-formed XML: ${firstLine(error.message)}`);
  };
  parser.ontext = (text) => {
    if (inIdempotencyKey) {
      idempotencyKey = (idempotencyKey ?? '') + text;
      return;
    }
    if (security?.field) {
      const { field, token } = security;
      token[field] = (token[field] ?? '') + text;
      return;
    }
    if (path.length <= 2 && text.trim() !== '') {
      throw SoapFault.badRequest('The Envelope, Header and Body hold elements only, not text');
    }
  };
  parser.oncdata = (text) => {
    // node `soap` parses a CDATA section that looks like a document as XML of its own:
    // a DOCTYPE there would reach a parser this gate does not guard.
    if (/<!(DOCTYPE|ENTITY)/i.test(text)) {
      throw SoapFault.badRequest('A SOAP message must not contain a DOCTYPE, not even in CDATA');
    }
    parser.ontext(text);
  };

  parser.onopentag = (tag) => {
    const element = tag as sax.QualifiedTag;
    // Element names become property names in node `soap`'s objects: `__proto__` or
    // `constructor` would reach Object.prototype. None is a name in the WSDL.
    if (element.local in Object.prototype) {
      throw SoapFault.badRequest(`There is no element named ${element.local} in this service`);
    }
    path.push(element);
    const depth = path.length;
    if (depth > limits.maxDepth) {
      throw SoapFault.badRequest(`Elements are nested deeper than ${limits.maxDepth} levels`);
    }
    if (depth === 1) {
      seenRoot = true;
      if (element.local !== 'Envelope') {
        throw SoapFault.badRequest(
          `The body is not a SOAP envelope: its root element is ${element.name}`,
        );
      }
      if (element.uri !== SOAP_11_ENVELOPE) {
        throw new SoapFault(
          'VersionMismatch',
          element.uri === SOAP_12_ENVELOPE
            ? 'This endpoint speaks SOAP 1.1; the message is a SOAP 1.2 envelope'
            : `The Envelope's namespace is not SOAP 1.1's (${element.uri || 'none'})`,
          'BAD_REQUEST',
        );
      }
      return;
    }
    const parent = path[depth - 2] as sax.QualifiedTag;
    if (depth === 2) {
      if (element.uri !== SOAP_11_ENVELOPE || !['Header', 'Body'].includes(element.local)) {
        throw SoapFault.badRequest(
          `The Envelope holds an optional Header and a Body, not ${element.name}`,
        );
      }
      if (seenBody) throw SoapFault.badRequest('Nothing may follow the Body (WS-I BP R1011)');
      if (element.local === 'Body') seenBody = true;
      return;
    }
    if (depth === 3 && parent.local === 'Header') {
      inOurSecurity = false;
      if (!targetsThisNode(element)) return;
      if (element.uri === BOOKSHOP_NS && element.local === 'IdempotencyKey') {
        if (idempotencyKey !== undefined) {
          throw SoapFault.badRequest('The Header holds one tns:IdempotencyKey, not several');
        }
        idempotencyKey = '';
        inIdempotencyKey = true;
        return;
      }
      const understood = element.uri === WSSE_NS && element.local === 'Security';
      if (understood && !security) {
        security = { token: {} };
        inOurSecurity = true;
      }
      if (!understood && mustUnderstand(element)) {
        throw new SoapFault(
          'MustUnderstand',
          `The header entry {${element.uri}}${element.local} must be understood, and this service does not`,
        );
      }
      return;
    }
    if (inIdempotencyKey) {
      throw SoapFault.badRequest('tns:IdempotencyKey holds the key as text, not elements');
    }
    if (depth === 3 && parent.local === 'Body') {
      bodyChildren += 1;
      if (bodyChildren > 1) {
        throw SoapFault.badRequest('The Body holds one operation element, not several');
      }
      if (element.uri !== BOOKSHOP_NS) {
        throw SoapFault.badRequest(
          `The operation element must be in the ${BOOKSHOP_NS} namespace; {${element.uri}}${element.local} is not`,
        );
      }
      operation = element.local;
      return;
    }
    if (inOurSecurity && security && element.uri === WSSE_NS) {
      if (depth === 4 && element.local === 'UsernameToken') return;
      const inToken = path[3]?.local === 'UsernameToken' && path[3]?.uri === WSSE_NS;
      if (depth === 5 && inToken && element.local === 'Username') {
        security.field = 'username';
      } else if (depth === 5 && inToken && element.local === 'Password') {
        security.field = 'password';
        security.token.passwordType = element.attributes['Type']?.value;
      }
    }
  };
  parser.onclosetag = () => {
    if (security) security.field = undefined;
    if (path.length === 3) inIdempotencyKey = false;
    path.pop();
  };

  parser.write(xml).close();

  if (!seenRoot) throw SoapFault.badRequest('The body is not a SOAP envelope: it holds no element');
  if (!seenBody) throw SoapFault.badRequest('The Envelope has no Body');
  if (operation === undefined) {
    throw SoapFault.badRequest('The Body holds no operation element');
  }
  return {
    operation,
    ...(security ? { usernameToken: security.token } : {}),
    ...(idempotencyKey !== undefined ? { idempotencyKey: idempotencyKey.trim() } : {}),
  };
}

/** SOAP 1.1 §4.2.2: a header entry without an actor is for the ultimate recipient, this service. */
function targetsThisNode(element: sax.QualifiedTag): boolean {
  const actor = attribute(element, 'actor');
  return actor === undefined || actor === ACTOR_NEXT;
}

/** SOAP 1.1 §4.2.3: "1" means must understand, "0" or absence means may ignore. */
function mustUnderstand(element: sax.QualifiedTag): boolean {
  const value = attribute(element, 'mustUnderstand');
  if (value === undefined || value === '0') return false;
  if (value === '1') return true;
  // WS-I BP 1.1 R1013: the value is "0" or "1".
  throw SoapFault.badRequest(`mustUnderstand must be "0" or "1", not "${value}"`);
}

function attribute(element: sax.QualifiedTag, local: string): string | undefined {
  for (const candidate of Object.values(element.attributes)) {
    if (candidate.uri === SOAP_11_ENVELOPE && candidate.local === local) return candidate.value;
  }
  return undefined;
}

function firstLine(message: string): string {
  return message.split('\n').join(', ');
}
