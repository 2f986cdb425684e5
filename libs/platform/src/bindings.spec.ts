import { OPERATION_NAMES, type OperationName } from '@bookshop/domain';
import { operationsByName } from './bindings';

const bindingsNamed = (name: (operation: OperationName) => string) =>
  Object.fromEntries(
    OPERATION_NAMES.map((operation) => [operation, { name: name(operation) }]),
  ) as Record<OperationName, { name: string }>;

describe('operationsByName', () => {
  it('finds each operation by the name its binding gives', () => {
    const index = operationsByName(
      bindingsNamed((op) => op.toUpperCase()),
      (b) => b.name,
    );
    expect(index.get('BOOKS.UPDATE')).toBe('books.update');
    expect(index.size).toBe(OPERATION_NAMES.length);
  });

  it('refuses two operations bound to one name', () => {
    expect(() =>
      operationsByName(
        bindingsNamed((op) => (op === 'books.delete' ? 'books.get' : op)),
        (b) => b.name,
      ),
    ).toThrow(/books\.(get|delete) and books\.(get|delete) are both bound to "books.get"/);
  });
});
