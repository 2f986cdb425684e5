import {
  inspectEnvelope,
  PASSWORD_TEXT,
  SOAP_11_ENVELOPE,
  SOAP_12_ENVELOPE,
  SoapFault,
  WSSE_NS,
} from './soap-envelope';

const limits = { maxDepth: 32 };
const body = '<b:GetBook xmlns:b="urn:bookshop:v1"><b:id>x</b:id></b:GetBook>';
const envelope = (content: string, header = '', ns = SOAP_11_ENVELOPE) =>
  `<s:Envelope xmlns:s="${ns}">${header ? `<s:Header>${header}</s:Header>` : ''}<s:Body>${content}</s:Body></s:Envelope>`;

function faultOf(xml: string, maxDepth = limits.maxDepth): SoapFault {
  try {
    inspectEnvelope(xml, { maxDepth });
  } catch (error) {
    if (error instanceof SoapFault) return error;
    throw error;
  }
  throw new Error('no fault');
}

describe('inspectEnvelope', () => {
  it('names the operation element of a SOAP 1.1 envelope, after an XML declaration', () => {
    expect(
      inspectEnvelope(`<?xml version="1.0" encoding="utf-8"?>${envelope(body)}`, limits),
    ).toEqual({
      operation: 'GetBook',
    });
  });

  describe('SOAP 1.1 §3: no DOCTYPE, no processing instructions', () => {
    it('refuses an external entity (XXE) at its DOCTYPE, before any entity is read', () => {
      const xxe = `<!DOCTYPE s:Envelope [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${envelope('<b:GetBook xmlns:b="urn:bookshop:v1"><b:id>&xxe;</b:id></b:GetBook>')}`;
      expect(faultOf(xxe)).toMatchObject({
        faultCode: 'Client',
        code: 'BAD_REQUEST',
        message: expect.stringContaining('DOCTYPE'),
      });
    });

    it('refuses entity expansion ("billion laughs") at its DOCTYPE', () => {
      const laughs = `<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>${envelope('<b:GetBook xmlns:b="urn:bookshop:v1"><b:id>&lol2;</b:id></b:GetBook>')}`;
      expect(faultOf(laughs).message).toContain('DOCTYPE');
    });

    it('refuses a processing instruction', () => {
      expect(faultOf(`<?xml version="1.0"?><?evil x?>${envelope(body)}`).message).toContain(
        'processing instructions',
      );
    });

    it('refuses an undeclared entity as not well-formed', () => {
      expect(
        faultOf(envelope('<b:GetBook xmlns:b="urn:bookshop:v1"><b:id>&xxe;</b:id></b:GetBook>')),
      ).toMatchObject({
        faultCode: 'Client',
        message: expect.stringContaining('not well-formed'),
      });
    });
  });

  it.each(['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty'])(
    'refuses an element named %s, which would reach Object.prototype in node soap',
    (name) => {
      expect(
        faultOf(
          envelope(`<b:GetBook xmlns:b="urn:bookshop:v1"><b:${name}>x</b:${name}></b:GetBook>`),
        ),
      ).toMatchObject({ faultCode: 'Client', code: 'BAD_REQUEST' });
    },
  );

  it('refuses a DOCTYPE inside CDATA, which node soap would parse as a document of its own', () => {
    const cdata =
      '<![CDATA[<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>]]>';
    expect(
      faultOf(envelope(`<b:GetBook xmlns:b="urn:bookshop:v1"><b:id>${cdata}</b:id></b:GetBook>`)),
    ).toMatchObject({ faultCode: 'Client', code: 'BAD_REQUEST' });
  });

  it('answers a body that is not XML with a Client fault', () => {
    expect(faultOf('{"id": 1}')).toMatchObject({ faultCode: 'Client', code: 'BAD_REQUEST' });
    expect(faultOf('')).toMatchObject({
      faultCode: 'Client',
      message: expect.stringContaining('no element'),
    });
  });

  it('answers XML whose root is not an Envelope with a Client fault', () => {
    expect(faultOf(body)).toMatchObject({
      faultCode: 'Client',
      message: expect.stringContaining('not a SOAP envelope'),
    });
  });

  describe('SOAP 1.1 §4.4.1 VersionMismatch', () => {
    it('answers a SOAP 1.2 envelope', () => {
      expect(faultOf(envelope(body, '', SOAP_12_ENVELOPE))).toMatchObject({
        faultCode: 'VersionMismatch',
        message: expect.stringContaining('SOAP 1.2'),
      });
    });

    it('answers an Envelope in any other namespace, or none', () => {
      expect(faultOf(envelope(body, '', 'urn:other')).faultCode).toBe('VersionMismatch');
      expect(faultOf(`<Envelope><Body>${body}</Body></Envelope>`).faultCode).toBe(
        'VersionMismatch',
      );
    });
  });

  describe('SOAP 1.1 §4.2.3 mustUnderstand', () => {
    it('answers a header entry for this node that must be understood, and is not, with MustUnderstand and no detail code', () => {
      const fault = faultOf(envelope(body, `<x:Trace xmlns:x="urn:x" s:mustUnderstand="1"/>`));
      expect(fault.faultCode).toBe('MustUnderstand');
      expect(fault.message).toContain('{urn:x}Trace');
      expect(fault.code).toBeUndefined();
    });

    it('ignores header entries that may be ignored or are meant for another actor (§4.2.2)', () => {
      const header =
        '<x:A xmlns:x="urn:x"/><x:B xmlns:x="urn:x" s:mustUnderstand="0"/>' +
        '<x:C xmlns:x="urn:x" s:mustUnderstand="1" s:actor="urn:some-other-node"/>';
      expect(inspectEnvelope(envelope(body, header), limits).operation).toBe('GetBook');
    });

    it('applies to the next actor too', () => {
      const header = `<x:A xmlns:x="urn:x" s:mustUnderstand="1" s:actor="http://schemas.xmlsoap.org/soap/actor/next"/>`;
      expect(faultOf(envelope(body, header)).faultCode).toBe('MustUnderstand');
    });

    it('refuses a mustUnderstand value other than "0" or "1" (WS-I BP R1013)', () => {
      expect(
        faultOf(envelope(body, `<x:A xmlns:x="urn:x" s:mustUnderstand="true"/>`)),
      ).toMatchObject({
        faultCode: 'Client',
        message: expect.stringContaining('"0" or "1"'),
      });
    });
  });

  describe('WS-Security', () => {
    const token = (password: string, type?: string) =>
      `<w:Security xmlns:w="${WSSE_NS}" s:mustUnderstand="1"><w:UsernameToken><w:Username>client</w:Username>` +
      `<w:Password${type ? ` Type="${type}"` : ''}>${password}</w:Password></w:UsernameToken></w:Security>`;

    it('understands wsse:Security and reads its UsernameToken', () => {
      expect(inspectEnvelope(envelope(body, token('k&amp;y', PASSWORD_TEXT)), limits)).toEqual({
        operation: 'GetBook',
        usernameToken: { username: 'client', password: 'k&y', passwordType: PASSWORD_TEXT },
      });
    });

    it('reports the password type as sent', () => {
      const type =
        'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest';
      expect(inspectEnvelope(envelope(body, token('digest', type)), limits).usernameToken).toEqual({
        username: 'client',
        password: 'digest',
        passwordType: type,
      });
    });

    it('ignores a Security header meant for another actor', () => {
      const other = token('key').replace('s:mustUnderstand="1"', 's:actor="urn:elsewhere"');
      expect(inspectEnvelope(envelope(body, other), limits).usernameToken).toBeUndefined();
    });
  });

  describe('the Body (document/literal wrapped)', () => {
    it('holds exactly one operation element (WS-I BP R2201)', () => {
      expect(faultOf(envelope('')).message).toContain('no operation element');
      expect(faultOf(envelope(body + body)).message).toContain('not several');
    });

    it('holds an element of the Bookshop namespace', () => {
      expect(faultOf(envelope('<GetBook><id>x</id></GetBook>')).message).toContain(
        'urn:bookshop:v1',
      );
    });

    it('holds no text', () => {
      expect(faultOf(envelope(`text${body}`)).message).toContain('not text');
    });

    it('is required, and nothing follows it (WS-I BP R1011)', () => {
      expect(faultOf(`<s:Envelope xmlns:s="${SOAP_11_ENVELOPE}"/>`).message).toContain('no Body');
      expect(faultOf(envelope(body).replace('</s:Body>', '</s:Body><s:Body/>')).message).toContain(
        'Nothing may follow the Body',
      );
    });
  });

  it('refuses elements nested deeper than the limit', () => {
    const deep = (levels: number) => '<b:x>'.repeat(levels) + '</b:x>'.repeat(levels);
    const nested = (levels: number) =>
      envelope(`<b:GetBook xmlns:b="urn:bookshop:v1">${deep(levels)}</b:GetBook>`);
    // Envelope, Body and GetBook are three levels.
    expect(inspectEnvelope(nested(29), limits).operation).toBe('GetBook');
    expect(faultOf(nested(30))).toMatchObject({
      faultCode: 'Client',
      message: 'Elements are nested deeper than 32 levels',
    });
  });
});
