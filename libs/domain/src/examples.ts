import { type OperationInput, type OperationName } from './catalogue';
import { demoAuthors, demoBooks } from './demo-catalogue';

/** One call of the example script: an operation, its input, and a name its result is known by. */
export interface ExampleStep<N extends OperationName = OperationName> {
  operation: N;
  input: OperationInput<N>;
  /** Later steps take this step's result fields with `fromStep(name, field)`. */
  name?: string;
}

/**
 * A field of an earlier step's result, where a later step needs it: written
 * `{{newBook.id}}`; each request collection turns it into its tool's own
 * reference to that response.
 */
export const fromStep = (name: string, field: string) => `{{${name}.${field}}}`;

/** Every `{{step.field}}` in a text: what `fromStep` wrote. */
export const STEP_REFERENCE = /\{\{(\w+)\.(\w+)\}\}/g;

/** The id of a demo entity, by its place in the demo catalogue. */
function demoId(entities: readonly { id: string }[], index: number): string {
  const entity = entities[index];
  if (!entity) throw new Error(`The demo catalogue has no entry ${index}`);
  return entity.id;
}

const step = <N extends OperationName>(example: ExampleStep<N>): ExampleStep => example;

/**
 * Every operation once, in an order that runs top to bottom against the demo
 * catalogue and leaves it as it found it (but for one more author): the book
 * it creates it deletes, the order it places it cancels, so the script can
 * be run again. The request collections (`collections/`) are this script,
 * written for each protocol's tools.
 */
export const EXAMPLE_SCRIPT: readonly ExampleStep[] = [
  step({ operation: 'authors.list', input: { limit: 2 } }),
  step({ operation: 'authors.get', input: { id: demoId(demoAuthors, 0) } }),
  step({
    operation: 'authors.create',
    name: 'newAuthor',
    input: { name: 'N. K. Jemisin', bio: 'American author of the Broken Earth trilogy.' },
  }),
  step({
    operation: 'books.list',
    input: { authorId: demoId(demoAuthors, 1), q: 'gods', limit: 5 },
  }),
  step({ operation: 'books.get', input: { id: demoId(demoBooks, 0) } }),
  step({
    operation: 'books.create',
    name: 'newBook',
    input: {
      title: 'The Fifth Season',
      authorId: fromStep('newAuthor', 'id'),
      isbn: '978-0-316-22929-6',
      priceCents: 1699,
      stock: 4,
    },
  }),
  step({
    operation: 'books.update',
    input: { id: fromStep('newBook', 'id'), priceCents: 1499, expectedVersion: 1 },
  }),
  step({ operation: 'books.adjustStock', input: { id: fromStep('newBook', 'id'), delta: 2 } }),
  step({ operation: 'books.delete', input: { id: fromStep('newBook', 'id') } }),
  step({
    operation: 'orders.place',
    name: 'newOrder',
    input: { lines: [{ bookId: demoId(demoBooks, 2), quantity: 2 }] },
  }),
  step({ operation: 'orders.get', input: { id: fromStep('newOrder', 'id') } }),
  step({ operation: 'orders.cancel', input: { id: fromStep('newOrder', 'id') } }),
];

/** The step that named a result, for a collection to say what that result looks like. */
export function exampleStepNamed(name: string): ExampleStep {
  const found = EXAMPLE_SCRIPT.find((example) => example.name === name);
  if (!found) throw new Error(`No example step is named ${name}`);
  return found;
}
