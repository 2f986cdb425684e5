import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { escapeXml } from './soap-errors';

/** The address bookshop.wsdl is written with; a served copy names the address it was fetched from. */
const WRITTEN_LOCATION = 'http://localhost:3002/soap';

/**
 * The hand-written WSDL. The build copies it beside the bundle
 * (`dist/apps/soap/wsdl`); from source it sits in `src/wsdl`.
 */
export function readWsdl(): string {
  const candidates = [join(__dirname, 'wsdl'), join(__dirname, '..', 'wsdl')];
  const folder = candidates.find((candidate) => existsSync(join(candidate, 'bookshop.wsdl')));
  if (!folder) throw new Error(`bookshop.wsdl is in none of ${candidates.join(', ')}`);
  return readFileSync(join(folder, 'bookshop.wsdl'), 'utf8');
}

/** The WSDL with its soap:address set to where a client reached the service. */
export function wsdlAt(wsdl: string, endpoint: string): string {
  return wsdl.replace(
    `<soap:address location="${WRITTEN_LOCATION}"/>`,
    `<soap:address location="${escapeXml(endpoint)}"/>`,
  );
}
