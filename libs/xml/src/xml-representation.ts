import sax from 'sax';

/** A JSON Schema, as far as reading XML by it goes. */
export type JsonSchema = Record<string, unknown> & {
  properties?: Record<string, JsonSchema>;
  required?: string[];
};

/**
 * XML the representation refuses: not well-formed, a DOCTYPE, too deep, not
 * the shape expected. The service answers it as the contract's BAD_REQUEST.
 */
export class XmlRefused extends Error {
  override readonly name = 'XmlRefused';
}

/**
 * The catalogue's values as XML, for REST's `application/xml` (and its
 * problems as `application/problem+xml`). One rule both ways, the one RFC 9457
 * Appendix A gives for problem details: an object is an element whose members
 * are child elements named by their keys, in order; an array's items are `<i>`
 * elements; a string, number or boolean is the element's text; a null member
 * is left out. The root is named by what it holds (`book`, `page`,
 * `problem`), and every element is in the root's namespace.
 *
 * XML has no types of its own, so reading goes by the JSON Schema of what is
 * expected: text becomes a number where the schema says number and the text
 * is one, and stays text otherwise, for the catalogue's validation to refuse
 * with the field's path, as it refuses the same mistake in JSON.
 */

/** The namespace of REST's XML representations. */
export const REST_XML_NAMESPACE = 'urn:bookshop:rest';
/** RFC 9457 Appendix A: the namespace of `application/problem+xml`. */
export const PROBLEM_XML_NAMESPACE = 'urn:ietf:rfc:7807';

/** Elements nested deeper than this are refused (the root is depth 1), as the SOAP gate does by default. */
export const XML_MAX_DEPTH = 32;

// XML 1.0 §2.2: the characters a document may hold at all (no escape writes the others).
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/** Whether XML 1.0 can carry `value`: it has no way to write most control characters. */
export function isXmlRepresentable(value: unknown): boolean {
  if (typeof value === 'string') return !NOT_XML_CHAR.test(value);
  if (Array.isArray(value)) return value.every(isXmlRepresentable);
  if (value !== null && typeof value === 'object') {
    return Object.values(value).every(isXmlRepresentable);
  }
  return true;
}

const escapeText = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function element(name: string, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) {
    return `<${name}>${value.map((item) => element('i', item)).join('')}</${name}>`;
  }
  if (typeof value === 'object') {
    const children = Object.entries(value)
      .map(([key, member]) => element(key, member))
      .join('');
    return `<${name}>${children}</${name}>`;
  }
  // A number or boolean is written as JSON writes it.
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return `<${name}>${escapeText(text)}</${name}>`;
}

/**
 * A JSON value as an XML document whose root element is `root`. Member names
 * must be XML names (the catalogue's are); check `isXmlRepresentable` first.
 */
export function toXml(root: string, value: object, namespace = REST_XML_NAMESPACE): string {
  const body = element(root, value).slice(root.length + 2);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${namespace}">${body}`;
}

/** An element as read: its name, its text and its child elements, in order. */
export interface XmlElement {
  name: string;
  namespace: string;
  text: string;
  children: XmlElement[];
}

const malformed = (message: string) => new XmlRefused(message);

/**
 * Parses an XML document with the care the SOAP gate takes: a DOCTYPE or a
 * processing instruction is refused the moment the parser meets it (so no
 * entity is ever declared, let alone fetched or expanded; the parser knows
 * only XML's five predefined entities and character references), elements
 * nested deeper than `maxDepth` are refused, attributes other than namespace
 * declarations carry nothing here and are refused, and mixed content too.
 * Every refusal is an XmlRefused. The body's size is bounded before this runs.
 */
export function parseXml(xml: string, maxDepth = XML_MAX_DEPTH): XmlElement {
  const parser = sax.parser(true, { xmlns: true });
  const path: XmlElement[] = [];
  let root: XmlElement | undefined;
  parser.ondoctype = () => {
    throw malformed('An XML body must not contain a DOCTYPE');
  };
  parser.onprocessinginstruction = (instruction) => {
    // The XML declaration reaches sax as a processing instruction named "xml".
    if (instruction.name === 'xml' && root === undefined) return;
    throw malformed('An XML body must not contain processing instructions');
  };
  parser.onerror = (error) => {
    throw malformed(`The body is not well-formed XML: ${error.message.split('\n')[0]}`);
  };
  parser.onopentag = (tag) => {
    const qualified = tag as sax.QualifiedTag;
    if (root !== undefined && path.length === 0) {
      throw malformed('An XML document has one root element');
    }
    for (const attribute of Object.values(qualified.attributes)) {
      if (attribute.prefix !== 'xmlns' && attribute.name !== 'xmlns') {
        throw malformed(
          `Attributes carry nothing in this representation: ${qualified.name} has ${attribute.name}`,
        );
      }
    }
    const next: XmlElement = {
      name: qualified.local,
      namespace: qualified.uri,
      text: '',
      children: [],
    };
    if (path.length >= maxDepth) {
      throw malformed(`Elements are nested deeper than ${maxDepth} levels`);
    }
    path.at(-1)?.children.push(next);
    root ??= next;
    path.push(next);
  };
  parser.ontext = (text) => {
    const current = path.at(-1);
    if (current) current.text += text;
    else if (text.trim() !== '') throw malformed('Text outside the root element');
  };
  parser.oncdata = (text) => parser.ontext(text);
  parser.onclosetag = () => {
    const closed = path.pop();
    if (closed && closed.children.length > 0 && closed.text.trim() !== '') {
      throw malformed(`${closed.name} holds both text and elements`);
    }
  };
  parser.write(xml).close();
  if (!root) throw malformed('The body holds no XML element');
  return root;
}

type Schemas = Record<string, JsonSchema>;

/** The schema behind a `$ref` (to `#/$defs/…` or `#/components/schemas/…`), a nullable's non-null branch. */
function resolve(schema: JsonSchema, definitions: Schemas): JsonSchema {
  const ref = schema['$ref'];
  if (typeof ref === 'string') {
    const target = definitions[ref.split('/').at(-1) ?? ''];
    return target ? resolve(target, definitions) : {};
  }
  const branches = (schema['anyOf'] ?? schema['oneOf']) as JsonSchema[] | undefined;
  if (branches) {
    const real = branches.filter((branch) => branch['type'] !== 'null');
    if (real.length === 1) return resolve(real[0] as JsonSchema, definitions);
  }
  return schema;
}

function allowsNull(schema: JsonSchema, definitions: Schemas): boolean {
  const ref = schema['$ref'];
  if (typeof ref === 'string') {
    const target = definitions[ref.split('/').at(-1) ?? ''];
    return target !== undefined && allowsNull(target, definitions);
  }
  const type = schema['type'];
  if (type === 'null' || (Array.isArray(type) && type.includes('null'))) return true;
  const branches = (schema['anyOf'] ?? schema['oneOf']) as JsonSchema[] | undefined;
  return branches?.some((branch) => allowsNull(branch, definitions)) ?? false;
}

const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

/**
 * An element read as the JSON value `schema` describes. Where the schema
 * says nothing (an unknown member), the element's text is kept, for the
 * validation to name.
 */
export function fromXml(
  element: XmlElement,
  schema: JsonSchema,
  definitions: Schemas = (schema['$defs'] as Schemas | undefined) ?? {},
): unknown {
  const resolved = resolve(schema, definitions);
  const type = resolved['type'];
  if (type === 'object') {
    if (element.text.trim() !== '') {
      throw malformed(`${element.name} holds elements, not text`);
    }
    const members = new Map<string, unknown>();
    const properties = resolved.properties ?? {};
    for (const child of element.children) {
      if (members.has(child.name)) {
        throw malformed(`${element.name} holds one ${child.name}, not several`);
      }
      const member = Object.hasOwn(properties, child.name) ? properties[child.name] : undefined;
      members.set(child.name, member ? fromXml(child, member, definitions) : child.text);
    }
    // A null member is left out of the XML: a nullable member that is absent is null.
    for (const [name, member] of Object.entries(properties)) {
      if (!members.has(name) && allowsNull(member, definitions)) members.set(name, null);
    }
    // fromEntries defines own properties: a member named __proto__ stays a member.
    return Object.fromEntries(members);
  }
  if (type === 'array') {
    const items = (resolved['items'] as JsonSchema | undefined) ?? {};
    return element.children.map((child) => {
      if (child.name !== 'i') {
        throw malformed(`The items of ${element.name} are <i> elements, not ${child.name}`);
      }
      return fromXml(child, items, definitions);
    });
  }
  if (element.children.length > 0) {
    throw malformed(`${element.name} holds text, not elements`);
  }
  if (type === 'integer' || type === 'number') {
    const text = element.text.trim();
    return NUMBER.test(text) ? Number(text) : element.text;
  }
  if (type === 'boolean') {
    const text = element.text.trim();
    return text === 'true' ? true : text === 'false' ? false : element.text;
  }
  return element.text;
}

/**
 * A whole document read as the value `schema` describes: its root must be
 * `root` in `namespace`, and so must every element below it.
 */
export function readXmlDocument(
  xml: string,
  expected: { root: string; namespace?: string; schema: JsonSchema; definitions?: Schemas },
): unknown {
  const document = parseXml(xml);
  const namespace = expected.namespace ?? REST_XML_NAMESPACE;
  const check = (element: XmlElement) => {
    if (element.namespace !== namespace) {
      throw malformed(
        `Every element is in the ${namespace} namespace; ${element.name} is in ${element.namespace || 'none'}`,
      );
    }
    element.children.forEach(check);
  };
  check(document);
  if (document.name !== expected.root) {
    throw malformed(`The root element is ${expected.root}, not ${document.name}`);
  }
  return fromXml(document, expected.schema, expected.definitions);
}
