import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OPERATION_NAMES, operationErrors, type OperationName } from '@bookshop/domain';
import { SOAP_BINDINGS } from './soap.bindings';
import { escapeXml } from './soap-errors';

/** The address bookshop.wsdl is written with; a served copy names the address it was fetched from. */
const WRITTEN_LOCATION = 'http://localhost:3002/soap';

const FAULT = '<wsdl:fault name="BookshopFault" message="tns:BookshopFault"/>';

/**
 * The hand-written WSDL as committed. The build copies it beside the bundle
 * (`dist/apps/soap/wsdl`); from source it sits in `src/wsdl`.
 */
export function readWsdl(): string {
  const candidates = [join(__dirname, 'wsdl'), join(__dirname, '..', 'wsdl')];
  const folder = candidates.find((candidate) => existsSync(join(candidate, 'bookshop.wsdl')));
  if (!folder) throw new Error(`bookshop.wsdl is in none of ${candidates.join(', ')}`);
  return readFileSync(join(folder, 'bookshop.wsdl'), 'utf8');
}

/** The codes of BookshopFault an operation can carry, from the catalogue, as one documentation line. */
export function faultDocumentation(operation: OperationName): string {
  const codes = [
    { code: 'BAD_REQUEST', when: 'the envelope is not SOAP 1.1 this service can read' },
    { code: 'PAYLOAD_TOO_LARGE', when: 'the request is over the body limit' },
    ...operationErrors(operation),
  ];
  return `BookshopFault code: ${codes.map(({ code, when }) => `${code} (${when})`).join('; ')}.`;
}

/**
 * The WSDL a client is served: the committed one, with the fault of each
 * port-type operation documented from the catalogue's error list, so the
 * document cannot drift from what the operation raises.
 */
export function buildWsdl(wsdl = readWsdl()): string {
  let out = wsdl;
  for (const operation of OPERATION_NAMES) {
    const start = out.indexOf(`<wsdl:operation name="${SOAP_BINDINGS[operation].name}">`);
    const fault = out.indexOf(FAULT, start);
    if (start < 0 || fault < 0)
      throw new Error(`bookshop.wsdl lacks the port type of ${operation}`);
    const documented = `<wsdl:fault name="BookshopFault" message="tns:BookshopFault"><wsdl:documentation>${escapeXml(faultDocumentation(operation))}</wsdl:documentation></wsdl:fault>`;
    out = out.slice(0, fault) + documented + out.slice(fault + FAULT.length);
  }
  return out;
}

/** The WSDL with its soap:address set to where a client reached the service. */
export function wsdlAt(wsdl: string, endpoint: string): string {
  return wsdl.replace(
    `<soap:address location="${WRITTEN_LOCATION}"/>`,
    `<soap:address location="${escapeXml(endpoint)}"/>`,
  );
}
