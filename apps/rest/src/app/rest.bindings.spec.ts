import { HTTP_CODE_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import { OPERATION_NAMES } from '@bookshop/domain';
import { servedOperations } from '@bookshop/platform';
import { AuthorsController } from './authors.controller';
import { BooksController } from './books.controller';
import { OrdersController } from './orders.controller';
import { REST_BINDINGS, routerPath } from './rest.bindings';

const served = servedOperations([AuthorsController, BooksController, OrdersController]);

describe('REST bindings', () => {
  it('serves every catalogue operation with exactly one handler', () => {
    expect(served.map(({ operation }) => operation).sort()).toEqual([...OPERATION_NAMES].sort());
  });

  it.each(served)(
    'registers $owner at the route REST_BINDINGS gives $operation',
    ({ operation, handler }) => {
      const binding = REST_BINDINGS[operation];
      expect(Reflect.getMetadata(PATH_METADATA, handler)).toBe(routerPath(binding.path));
      expect(Reflect.getMetadata(METHOD_METADATA, handler)).toBe(
        RequestMethod[binding.method.toUpperCase() as keyof typeof RequestMethod],
      );
      expect(Reflect.getMetadata(HTTP_CODE_METADATA, handler)).toBe(binding.status);
    },
  );

  it('writes paths as OpenAPI does and routes them as the router does', () => {
    expect(routerPath('/api/books/{id}/stock-adjustments')).toBe(
      '/api/books/:id/stock-adjustments',
    );
  });

  it('gives every route a distinct method and path', () => {
    const routes = Object.values(REST_BINDINGS).map(({ method, path }) => `${method} ${path}`);
    expect(new Set(routes).size).toBe(routes.length);
  });
});
