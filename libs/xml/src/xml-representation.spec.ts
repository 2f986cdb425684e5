import { inputSchema, resultSchemas } from '@bookshop/domain';
import {
  fromXml,
  isXmlRepresentable,
  parseXml,
  PROBLEM_XML_NAMESPACE,
  readXmlDocument,
  toXml,
  XML_MAX_DEPTH,
  XmlRefused,
} from './xml-representation';

const NS = 'urn:bookshop:rest';
const order = (inner: string) => `<order xmlns="${NS}">${inner}</order>`;
const placeOrder = inputSchema('orders.place', 'draft-2020-12');

function refusal(run: () => unknown): { refused: boolean; message: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof XmlRefused) return { refused: true, message: error.message };
    throw error;
  }
  throw new Error('not refused');
}

describe('the XML representation', () => {
  it('writes members as elements in order, arrays as <i>, nulls left out, text escaped', () => {
    expect(
      toXml('author', { id: 'a1', name: 'Tom & <Jerry>', bio: null, tags: ['x', 'y'], n: 3 }),
    ).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
        `<author xmlns="${NS}"><id>a1</id><name>Tom &amp; &lt;Jerry&gt;</name>` +
        '<tags><i>x</i><i>y</i></tags><n>3</n></author>',
    );
  });

  it('writes a problem in the RFC 9457 namespace', () => {
    expect(toXml('problem', { status: 404, errors: [] }, PROBLEM_XML_NAMESPACE)).toContain(
      '<problem xmlns="urn:ietf:rfc:7807"><status>404</status><errors></errors></problem>',
    );
  });

  it('reads what it writes, typed by the schema', () => {
    const input = {
      lines: [
        { bookId: 'b1', quantity: 2 },
        { bookId: 'b2', quantity: 1 },
      ],
    };
    expect(readXmlDocument(toXml('order', input), { root: 'order', schema: placeOrder })).toEqual(
      input,
    );
  });

  it('reads a result schema by its references', () => {
    const schemas = resultSchemas('draft-2020-12');
    const page = { items: [{ id: 'x', priceCents: 5, stock: 0 }], nextCursor: 'c' };
    const read = readXmlDocument(toXml('page', page), {
      root: 'page',
      schema: schemas['BookPage'] as never,
      definitions: schemas,
    });
    expect(read).toEqual(page);
  });

  it('keeps text that is not a number as text, for validation to name', () => {
    expect(
      readXmlDocument(order('<lines><i><bookId>b</bookId><quantity>two</quantity></i></lines>'), {
        root: 'order',
        schema: placeOrder,
      }),
    ).toEqual({ lines: [{ bookId: 'b', quantity: 'two' }] });
  });

  it('keeps an unknown member as text, so a strict schema refuses it', () => {
    expect(
      readXmlDocument(order('<lines></lines><stock>5</stock>'), {
        root: 'order',
        schema: placeOrder,
      }),
    ).toEqual({ lines: [], stock: '5' });
  });

  it('keeps __proto__ and constructor as plain members', () => {
    const read = readXmlDocument(order('<__proto__>x</__proto__><constructor>y</constructor>'), {
      root: 'order',
      schema: placeOrder,
    }) as Record<string, unknown>;
    expect(Object.getPrototypeOf(read)).toBe(Object.prototype);
    expect(Object.keys(read)).toEqual(['__proto__', 'constructor']);
  });

  it.each([
    ['a DOCTYPE', `<!DOCTYPE order [<!ENTITY x "y">]>${order('')}`, /DOCTYPE/],
    ['an unknown entity', order('<lines>&x;</lines>'), /not well-formed/],
    ['a processing instruction', `${order('')}<?evil?>`, /processing instructions/],
    ['an attribute', `<order xmlns="${NS}" id="1"/>`, /Attributes carry nothing/],
    ['mixed content', order('<lines>text<i/></lines>'), /both text and elements/],
    ['another namespace', '<order><lines/></order>', /namespace/],
    ['another root', `<book xmlns="${NS}"/>`, /root element is order/],
    ['items that are not <i>', order('<lines><line/></lines>'), /<i> elements/],
    ['a member given twice', order('<lines/><lines/>'), /one lines, not several/],
    [
      'elements where text belongs',
      order('<lines><i><quantity><x/></quantity></i></lines>'),
      /text, not elements/,
    ],
    ['no element at all', '   ', /no XML element/],
    ['not XML', '{"lines":[]}', /not well-formed|no XML element|Text outside/],
  ])('refuses %s', (_, xml, message) => {
    const refused = refusal(() => readXmlDocument(xml, { root: 'order', schema: placeOrder }));
    expect(refused.refused).toBe(true);
    expect(refused.message).toMatch(message);
  });

  it(`refuses elements nested deeper than ${XML_MAX_DEPTH} levels, and takes ${XML_MAX_DEPTH}`, () => {
    const nested = (depth: number) => '<a>'.repeat(depth) + '</a>'.repeat(depth);
    expect(() => parseXml(nested(XML_MAX_DEPTH))).not.toThrow();
    expect(refusal(() => parseXml(nested(XML_MAX_DEPTH + 1))).message).toMatch(/deeper than 32/);
  });

  it('reads CDATA as text, and a character reference as its character', () => {
    const element = parseXml('<a><![CDATA[<b>]]>&#x41;</a>');
    expect(fromXml(element, { type: 'string' })).toBe('<b>A');
  });

  it('knows which text XML 1.0 cannot carry', () => {
    expect(isXmlRepresentable({ title: 'tab\tand line\n', list: ['é😀'] })).toBe(true);
    expect(isXmlRepresentable({ title: 'bell\u0007' })).toBe(false);
    expect(isXmlRepresentable({ nested: { list: ['\uFFFE'] } })).toBe(false);
  });
});
