import { CONTRACT_ERROR_TABLE } from '@bookshop/domain/testing';
import { DomainError, ERROR_CODES } from '@bookshop/domain';
import { SoapFault } from './soap-envelope';
import { escapeXml, renderFault, SOAP_FAULT_CODES, toFault } from './soap-errors';

describe('SOAP faults', () => {
  it('maps every contract code: the caller’s faults to Client, ours to Server (CONTRACT.md)', () => {
    expect(ERROR_CODES.filter((code) => SOAP_FAULT_CODES[code] === 'Server')).toEqual([
      'RATE_LIMITED',
      'UNAVAILABLE',
      'INTERNAL',
    ]);
    expect(Object.keys(SOAP_FAULT_CODES).sort()).toEqual([...ERROR_CODES].sort());
  });

  it('renders a SOAP 1.1 Fault: faultcode as a QName of the envelope namespace, faultstring, and BookshopFault in detail', () => {
    const { fault } = toFault(DomainError.notFound('book', 'x'));
    expect(renderFault(fault, 'req-1')).toBe(
      '<?xml version="1.0" encoding="utf-8"?>' +
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault>' +
        '<faultcode>soap:Client</faultcode><faultstring>No book has the id &quot;x&quot;</faultstring>' +
        '<detail><b:BookshopFault xmlns:b="urn:bookshop:v1"><b:code>NOT_FOUND</b:code>' +
        '<b:message>No book has the id &quot;x&quot;</b:message><b:requestId>req-1</b:requestId>' +
        '</b:BookshopFault></detail></soap:Fault></soap:Body></soap:Envelope>',
    );
  });

  it('carries field issues and short lines in the detail', () => {
    const validation = renderFault(
      toFault(DomainError.invalidField('lines[1].quantity', 'must be at most 100')).fault,
    );
    expect(validation).toContain(
      '<b:issue><b:path>lines[1].quantity</b:path><b:message>must be at most 100</b:message></b:issue>',
    );
    const outOfStock = renderFault(
      toFault(DomainError.outOfStock([{ bookId: 'b1', requested: 3, available: 1 }])).fault,
    );
    expect(outOfStock).toContain(
      '<b:shortage><b:bookId>b1</b:bookId><b:requested>3</b:requested><b:available>1</b:available></b:shortage>',
    );
  });

  it('answers anything unexpected blandly with a Server fault and INTERNAL, and says to log it', () => {
    const { fault, unexpected } = toFault(new Error('select * from secrets'));
    expect(unexpected).toBe(true);
    const xml = renderFault(fault, 'req-2');
    expect(xml).toContain('<faultcode>soap:Server</faultcode>');
    expect(xml).toContain('<b:code>INTERNAL</b:code>');
    expect(xml).not.toContain('secrets');
  });

  it('leaves out the detail of a fault about a header entry (SOAP 1.1 §4.4)', () => {
    const xml = renderFault(toFault(new SoapFault('MustUnderstand', 'not understood')).fault);
    expect(xml).toContain('<faultcode>soap:MustUnderstand</faultcode>');
    expect(xml).not.toContain('<detail>');
  });

  it('escapes markup, and replaces characters XML cannot carry', () => {
    expect(escapeXml(`<a href="x">&'</a>\u0001`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;\uFFFD',
    );
  });
});

describe("SOAP_FAULT_CODES against the contract's error table", () => {
  it.each(CONTRACT_ERROR_TABLE)('faults $code as $soap', (row) => {
    expect(`soap:${SOAP_FAULT_CODES[row.code]}`).toBe(row.soap);
  });
});
