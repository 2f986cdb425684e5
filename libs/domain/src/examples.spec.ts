import { OPERATION_NAMES } from './catalogue';
import { demoAuthors, demoBooks } from './demo-catalogue';
import { EXAMPLE_SCRIPT, STEP_REFERENCE } from './examples';
import { inMemoryBookshop } from './testing';

/** Runs the script once, taking `{{step.field}}` from earlier results as a collection's tool does. */
async function runScript(bookshop: ReturnType<typeof inMemoryBookshop>['bookshop']) {
  const results = new Map<string, Record<string, unknown>>();
  for (const example of EXAMPLE_SCRIPT) {
    const text = JSON.stringify(example.input).replace(STEP_REFERENCE, (_, name, field) =>
      String(results.get(name)?.[field]),
    );
    const result = await bookshop.execute(example.operation, JSON.parse(text) as never);
    if (example.name) results.set(example.name, result as Record<string, unknown>);
  }
}

describe('the example script', () => {
  it('calls every operation once', () => {
    expect(EXAMPLE_SCRIPT.map((example) => example.operation).sort()).toEqual(
      [...OPERATION_NAMES].sort(),
    );
  });

  it('refers only to results of earlier steps', () => {
    const named = new Set<string>();
    for (const example of EXAMPLE_SCRIPT) {
      for (const [, name] of JSON.stringify(example.input).matchAll(STEP_REFERENCE))
        expect(named).toContain(name);
      if (example.name) named.add(example.name);
    }
  });

  it('runs twice against the demo catalogue and leaves its books and stock as they were', async () => {
    const { bookshop, store } = inMemoryBookshop();
    await store.transaction(async (repositories) => {
      for (const author of demoAuthors) await repositories.authors.insert(author);
      for (const book of demoBooks) await repositories.books.insert(book);
    });
    await runScript(bookshop);
    await runScript(bookshop);
    const books = await bookshop.execute('books.list', { limit: 100 });
    expect(books.items.map(({ id, stock }) => ({ id, stock }))).toEqual(
      demoBooks.map(({ id, stock }) => ({ id, stock })),
    );
  });
});
