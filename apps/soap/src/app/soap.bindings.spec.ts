import { catalogue, operationErrors, type OperationName } from '@bookshop/domain';
import { OPERATION_BY_SOAP_NAME, readXsdInt, SOAP_BINDINGS, soapInput } from './soap.bindings';
import { buildWsdl, readWsdl } from './soap.document';

const wsdl = readWsdl();

describe('SOAP operations', () => {
  it('serves every catalogue operation under its PascalCase name', () => {
    expect([...OPERATION_BY_SOAP_NAME.values()].sort()).toEqual(Object.keys(catalogue).sort());
    expect(OPERATION_BY_SOAP_NAME.get('PlaceOrder')).toBe('orders.place');
  });

  it.each([...OPERATION_BY_SOAP_NAME.keys()])(
    'declares %s in the WSDL: elements, messages, port type with BookshopFault, binding and soapAction',
    (name) => {
      expect(wsdl).toContain(`<xsd:element name="${name}">`);
      expect(wsdl).toContain(`<xsd:element name="${name}Response">`);
      expect(wsdl).toContain(`<wsdl:part name="parameters" element="tns:${name}"/>`);
      expect(wsdl).toContain(`<wsdl:part name="parameters" element="tns:${name}Response"/>`);
      expect(wsdl).toContain(
        `<soap:operation soapAction="urn:bookshop:v1#${name}" style="document"/>`,
      );
      expect(wsdl.split(`<wsdl:operation name="${name}">`)).toHaveLength(3);
    },
  );

  it('declares BookshopFault as the fault of every operation, in the port type and the binding', () => {
    const operations = OPERATION_BY_SOAP_NAME.size;
    expect(
      wsdl.split('<wsdl:fault name="BookshopFault" message="tns:BookshopFault"/>'),
    ).toHaveLength(operations + 1);
    expect(wsdl.split('<soap:fault name="BookshopFault" use="literal"/>')).toHaveLength(
      operations + 1,
    );
  });

  describe('input', () => {
    const input = (name: OperationName, args: Record<string, unknown> | null) =>
      soapInput(name, args);

    it('reads xsd:int text as a number only when it is one, leaving the rest for the domain to refuse', () => {
      expect(readXsdInt('1500')).toBe(1500);
      expect(readXsdInt('-2')).toBe(-2);
      expect(readXsdInt('+7')).toBe(7);
      expect(readXsdInt('12abc')).toBe('12abc');
      expect(readXsdInt('1.5')).toBe('1.5');
      expect(readXsdInt('')).toBe('');
    });

    it('turns the line children of PlaceOrder into lines, one or many', () => {
      expect(input('orders.place', { line: { bookId: 'a', quantity: 2 } })).toEqual({
        lines: [{ bookId: 'a', quantity: 2 }],
      });
      expect(
        input('orders.place', {
          line: [
            { bookId: 'a', quantity: 1 },
            { bookId: 'b', quantity: 3 },
          ],
        }),
      ).toEqual({
        lines: [
          { bookId: 'a', quantity: 1 },
          { bookId: 'b', quantity: 3 },
        ],
      });
      expect(input('orders.place', null)).toEqual({ lines: [] });
    });

    it('reads an empty element as the empty string and drops attributes', () => {
      expect(input('authors.create', { name: 'N', bio: {}, attributes: { x: '1' } })).toEqual({
        name: 'N',
        bio: '',
      });
      expect(input('authors.list', null)).toEqual({});
    });

    it('keeps unknown children, so the domain refuses them as it does on every protocol', () => {
      expect(input('books.update', { id: 'b', stock: '5' })).toEqual({ id: 'b', stock: '5' });
    });
  });

  describe('output', () => {
    const book = {
      updatedAt: '2026-01-01T00:00:00.000Z',
      createdAt: '2026-01-01T00:00:00.000Z',
      version: 1,
      stock: 2,
      priceCents: 100,
      isbn: '9780000000002',
      authorId: 'a',
      title: 'T',
      id: 'b',
    };

    it('writes children in the schema’s order', () => {
      expect(Object.keys(SOAP_BINDINGS['books.get'].output(book).book as object)).toEqual([
        'id',
        'title',
        'authorId',
        'isbn',
        'priceCents',
        'stock',
        'version',
        'createdAt',
        'updatedAt',
      ]);
    });

    it('leaves out a missing bio and the last page’s nextCursor (minOccurs="0")', () => {
      const author = { id: 'a', name: 'N', bio: null, createdAt: '2026-01-01T00:00:00.000Z' };
      expect(SOAP_BINDINGS['authors.list'].output({ items: [author], nextCursor: null })).toEqual({
        author: [{ id: 'a', name: 'N', createdAt: '2026-01-01T00:00:00.000Z' }],
      });
      expect(SOAP_BINDINGS['books.list'].output({ items: [], nextCursor: 'c' })).toEqual({
        book: [],
        nextCursor: 'c',
      });
    });

    it('writes one line child per order line', () => {
      const order = {
        id: 'o',
        status: 'PLACED' as const,
        lines: [{ bookId: 'b', quantity: 2, unitPriceCents: 50 }],
        totalCents: 100,
        createdAt: '2026-01-01T00:00:00.000Z',
      };
      expect(SOAP_BINDINGS['orders.get'].output(order)).toEqual({
        order: {
          id: 'o',
          status: 'PLACED',
          line: [{ bookId: 'b', quantity: 2, unitPriceCents: 50 }],
          totalCents: 100,
          createdAt: '2026-01-01T00:00:00.000Z',
        },
      });
    });
  });
});

describe('the served WSDL', () => {
  const served = buildWsdl(wsdl);

  it.each([...OPERATION_BY_SOAP_NAME.entries()])(
    "documents %s's fault with the codes the catalogue lists for %s",
    (name, operation) => {
      const portType = served.slice(served.indexOf(`<wsdl:operation name="${name}">`));
      const documentation =
        /<wsdl:fault name="BookshopFault" message="tns:BookshopFault"><wsdl:documentation>([^<]*)</.exec(
          portType,
        )?.[1];
      const codes = [...(documentation ?? '').matchAll(/([A-Z_]+) \(/g)].map((match) => match[1]);
      expect(codes).toEqual([
        'BAD_REQUEST',
        'PAYLOAD_TOO_LARGE',
        ...operationErrors(operation).map(({ code }) => code),
      ]);
    },
  );

  it('is the committed WSDL with documentation added, nothing else', () => {
    expect(
      served
        .replace(
          /<wsdl:documentation>BookshopFault code:[^<]*<\/wsdl:documentation><\/wsdl:fault>/g,
          '',
        )
        .replaceAll('message="tns:BookshopFault">', 'message="tns:BookshopFault"/>'),
    ).toBe(wsdl);
  });
});
