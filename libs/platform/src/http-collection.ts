import {
  catalogue,
  EXAMPLE_SCRIPT,
  type ExampleStep,
  exampleStepNamed,
  STEP_REFERENCE,
} from '@bookshop/domain';

/** One request of a collection, as a `.http` file writes it. */
export interface CollectionRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** The request target after `{{base}}`: path and query. */
  target: string;
  headers: Record<string, string>;
  body?: string;
}

/** A protocol's request collection: the example script written for its tools. */
export interface HttpCollection {
  /** Comment lines at the top of the file. */
  about: string[];
  /** File variables (`@base = …`), in order. */
  variables: Record<string, string>;
  /** Each example step as this protocol sends it. */
  request: (step: ExampleStep) => CollectionRequest;
  /**
   * How this protocol's tools name a field of an earlier named response,
   * e.g. `{{newBook.response.body.$.id}}` (the request-variable syntax of
   * the `.http` format: JSONPath for JSON, XPath for XML).
   */
  reference: (step: ExampleStep & { name: string }, field: string) => string;
}

/**
 * The collection as a `.http` file (the format of VS Code's REST Client,
 * httpyac and kulala): file variables, then every step of the example
 * script as one request, `### operation: summary`, with `# @name` where a
 * later request takes a field of its response.
 */
export function renderHttpCollection(collection: HttpCollection): string {
  const lines = collection.about.map((line) => (line ? `# ${line}` : '#'));
  lines.push('');
  for (const [name, value] of Object.entries(collection.variables))
    lines.push(`@${name} = ${value}`);
  for (const step of EXAMPLE_SCRIPT) {
    const request = collection.request(step);
    const refer = (text: string) =>
      text.replace(STEP_REFERENCE, (_, name: string, field: string) => {
        const named = exampleStepNamed(name);
        return collection.reference({ ...named, name }, field);
      });
    lines.push('', `### ${step.operation}: ${catalogue[step.operation].summary}`);
    if (step.name) lines.push(`# @name ${step.name}`);
    lines.push(`${request.method} {{base}}${refer(request.target)}`);
    for (const [header, value] of Object.entries(request.headers))
      lines.push(`${header}: ${refer(value)}`);
    if (request.body !== undefined) lines.push('', refer(request.body));
  }
  return `${lines.join('\n')}\n`;
}

/** The opening comment every collection shares, naming its source. */
export function collectionAbout(protocol: string, bindings: string): string[] {
  return [
    `Bookshop over ${protocol}: every operation once, top to bottom, against the demo`,
    'catalogue `npm start` seeds. It leaves the catalogue as it found it (but for one',
    'more author), so it can be run again. Writes use @apiKey.',
    '',
    `Generated from ${bindings} and the example script`,
    '(libs/domain/src/examples.ts): `npm run collections` writes it again, and a test',
    'fails when it is stale. It runs in any tool of the .http format (VS Code REST',
    'Client, httpyac, kulala); later requests take ids from earlier named responses.',
  ];
}
