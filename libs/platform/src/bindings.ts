import { OPERATION_NAMES, type OperationName } from '@bookshop/domain';

/**
 * The catalogue operation each protocol name binds (a SOAP element, a
 * JSON-RPC method, a WebSocket op), for finding what a request names. Two
 * operations bound to one name would make a request ambiguous: that throws
 * when the app loads, not at the first request.
 */
export function operationsByName<T extends Readonly<Record<OperationName, unknown>>>(
  bindings: T,
  nameOf: (binding: T[OperationName]) => string,
): ReadonlyMap<string, OperationName> {
  const index = new Map<string, OperationName>();
  for (const operation of OPERATION_NAMES) {
    const name = nameOf(bindings[operation]);
    const taken = index.get(name);
    if (taken)
      throw new Error(`${operation} and ${taken} are both bound to ${JSON.stringify(name)}`);
    index.set(name, operation);
  }
  return index;
}
