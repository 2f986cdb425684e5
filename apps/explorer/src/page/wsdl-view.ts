// A readable view of a WSDL 1.1 document (document/literal, as the SOAP
// service serves it): each operation with its SOAPAction, its request and
// response elements field by field, and its faults; then the named types.

import { element } from './dom';

const WSDL = 'http://schemas.xmlsoap.org/wsdl/';
const XSD = 'http://www.w3.org/2001/XMLSchema';
const SOAP = 'http://schemas.xmlsoap.org/wsdl/soap/';

const children = (node: Element, ns: string, name: string) =>
  Array.from(node.children).filter(
    (child) => child.namespaceURI === ns && child.localName === name,
  );
const child = (node: Element, ns: string, name: string): Element | undefined =>
  children(node, ns, name)[0];
const local = (qname: string | null) => (qname ?? '').replace(/^[^:]*:/, '');
const documentation = (node: Element) =>
  (
    child(node, WSDL, 'documentation') ??
    child(child(node, XSD, 'annotation') ?? node, XSD, 'documentation')
  )?.textContent?.trim() ?? '';

/** An inline or named simple type, as a line: `xsd:int 1…100`, `one of PLACED, CANCELLED`. */
function describeSimple(simple: Element): string {
  const restriction = child(simple, XSD, 'restriction');
  if (!restriction) return 'text';
  const facets = Array.from(restriction.children);
  const enumeration = facets.filter((f) => f.localName === 'enumeration');
  if (enumeration.length > 0)
    return `one of ${enumeration.map((f) => f.getAttribute('value')).join(', ')}`;
  const facet = (name: string) =>
    facets.find((f) => f.localName === name)?.getAttribute('value') ?? undefined;
  const parts = [restriction.getAttribute('base') ?? ''];
  const [min, max] = [facet('minInclusive'), facet('maxInclusive')];
  if (min !== undefined || max !== undefined) parts.push(`${min ?? ''}…${max ?? ''}`);
  const [minLength, maxLength] = [facet('minLength'), facet('maxLength')];
  if (minLength !== undefined || maxLength !== undefined)
    parts.push(`length ${minLength ?? 0}…${maxLength ?? ''}`);
  const pattern = facet('pattern');
  if (pattern) parts.push(`pattern ${pattern}`);
  return parts.join(' ');
}

/** The fields of a complex type's sequence, as table rows. */
function fieldRows(complex: Element | undefined): HTMLTableRowElement[] {
  const sequence = complex && child(complex, XSD, 'sequence');
  if (!sequence) return [];
  return children(sequence, XSD, 'element').map((field) => {
    const simple = child(field, XSD, 'simpleType');
    const inner = child(field, XSD, 'complexType');
    const type = field.getAttribute('type')
      ? element(
          'a',
          { href: `#type-${local(field.getAttribute('type'))}` },
          field.getAttribute('type') ?? '',
        )
      : simple
        ? describeSimple(simple)
        : inner
          ? `{ ${children(child(inner, XSD, 'sequence') ?? inner, XSD, 'element')
              .map((e) => e.getAttribute('name'))
              .join(', ')} }`
          : 'any';
    const min = field.getAttribute('minOccurs') ?? '1';
    const max = field.getAttribute('maxOccurs') ?? '1';
    const occurs =
      min === '1' && max === '1' ? 'required' : `${min}…${max === 'unbounded' ? '∞' : max}`;
    return element(
      'tr',
      {},
      element('td', { className: 'mono' }, field.getAttribute('name') ?? ''),
      element('td', {}, type),
      element('td', {}, occurs),
      element('td', {}, documentation(field)),
    );
  });
}

function fieldTable(complex: Element | undefined): HTMLElement {
  const rows = fieldRows(complex);
  if (rows.length === 0) return element('p', { className: 'muted' }, 'no fields');
  return element(
    'table',
    { className: 'fields' },
    element(
      'thead',
      {},
      element('tr', {}, ...['field', 'type', 'occurs', ''].map((h) => element('th', {}, h))),
    ),
    element('tbody', {}, ...rows),
  );
}

/** Renders the WSDL text into `into`; returns the operation names it showed. */
export function renderWsdl(text: string, into: HTMLElement): string[] {
  const xml = new DOMParser().parseFromString(text, 'application/xml');
  const definitions = xml.documentElement;
  if (definitions.localName !== 'definitions' || definitions.namespaceURI !== WSDL) {
    throw new Error('The SOAP service did not answer with a WSDL 1.1 document');
  }
  const schemas = Array.from(xml.getElementsByTagNameNS(XSD, 'schema'));
  const topLevel = (name: string) => schemas.flatMap((schema) => children(schema, XSD, name));
  const elements = new Map(topLevel('element').map((e) => [e.getAttribute('name') ?? '', e]));
  const messages = new Map(
    children(definitions, WSDL, 'message').map((m) => [m.getAttribute('name') ?? '', m]),
  );
  const elementOf = (message: string | null) => {
    const part = child(messages.get(local(message)) ?? definitions, WSDL, 'part');
    return local(part?.getAttribute('element') ?? null);
  };
  const actions = new Map(
    children(definitions, WSDL, 'binding').flatMap((binding) =>
      children(binding, WSDL, 'operation').map((op) => [
        op.getAttribute('name') ?? '',
        child(op, SOAP, 'operation')?.getAttribute('soapAction') ?? '',
      ]),
    ),
  );
  const address = xml.getElementsByTagNameNS(SOAP, 'address')[0]?.getAttribute('location') ?? '';
  const operations = children(definitions, WSDL, 'portType').flatMap((portType) =>
    children(portType, WSDL, 'operation'),
  );

  into.replaceChildren(
    element('h2', {}, `WSDL: ${definitions.getAttribute('name') ?? ''}`),
    element('p', {}, documentation(definitions)),
    element(
      'p',
      {},
      'Endpoint ',
      element('code', {}, address),
      ' · target namespace ',
      element('code', {}, definitions.getAttribute('targetNamespace') ?? ''),
      ' · SOAP 1.1, document/literal',
    ),
    element(
      'nav',
      { className: 'toc' },
      ...operations.map((op) =>
        element('a', { href: `#op-${op.getAttribute('name')}` }, op.getAttribute('name') ?? ''),
      ),
    ),
    ...operations.map((op) => {
      const name = op.getAttribute('name') ?? '';
      const input = elementOf(child(op, WSDL, 'input')?.getAttribute('message') ?? null);
      const output = elementOf(child(op, WSDL, 'output')?.getAttribute('message') ?? null);
      const faults = children(op, WSDL, 'fault').map((f) => elementOf(f.getAttribute('message')));
      return element(
        'section',
        { id: `op-${name}`, className: 'operation', dataset: { operation: name } },
        element('h3', {}, name),
        element('p', {}, documentation(op)),
        element('p', {}, 'SOAPAction ', element('code', {}, actions.get(name) ?? '')),
        element('h4', {}, 'Request ', element('code', {}, `<${input}>`)),
        fieldTable(child(elements.get(input) ?? definitions, XSD, 'complexType')),
        element('h4', {}, 'Response ', element('code', {}, `<${output}>`)),
        fieldTable(child(elements.get(output) ?? definitions, XSD, 'complexType')),
        element(
          'p',
          {},
          'Faults: ',
          ...faults.map((fault) => element('a', { href: `#element-${fault}` }, fault)),
        ),
      );
    }),
    element('h2', {}, 'Types'),
    ...topLevel('complexType').map((type) =>
      element(
        'section',
        { id: `type-${type.getAttribute('name')}`, className: 'type' },
        element('h3', {}, type.getAttribute('name') ?? ''),
        element('p', {}, documentation(type)),
        fieldTable(type),
      ),
    ),
    ...[...elements.entries()]
      .filter(([name]) => name.endsWith('Fault'))
      .map(([name, fault]) =>
        element(
          'section',
          { id: `element-${name}`, className: 'type' },
          element('h3', {}, `<${name}>`),
          element('p', {}, documentation(fault)),
          fault.getAttribute('type')
            ? element(
                'p',
                {},
                'of type ',
                element(
                  'a',
                  { href: `#type-${local(fault.getAttribute('type'))}` },
                  local(fault.getAttribute('type')),
                ),
              )
            : fieldTable(child(fault, XSD, 'complexType')),
        ),
      ),
    element(
      'section',
      { className: 'type' },
      element('h3', {}, 'Simple types'),
      element(
        'table',
        { className: 'fields' },
        element(
          'tbody',
          {},
          ...topLevel('simpleType').map((simple) =>
            element(
              'tr',
              { id: `type-${simple.getAttribute('name')}` },
              element('td', { className: 'mono' }, simple.getAttribute('name') ?? ''),
              element('td', {}, describeSimple(simple)),
              element('td', {}, documentation(simple)),
            ),
          ),
        ),
      ),
    ),
  );
  return operations.map((op) => op.getAttribute('name') ?? '');
}
