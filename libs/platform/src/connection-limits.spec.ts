import { AsyncLocalStorage } from 'node:async_hooks';
import { type Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import { ConnectionLimiter } from './connection-limits';

describe('ConnectionLimiter', () => {
  it('reads the socket again once the requests have ended', () => {
    const socket = new PassThrough() as unknown as Socket;
    const limiter = new ConnectionLimiter(3);
    const started: number[] = [];
    for (let i = 0; i < 5; i++) limiter.acquire(socket, () => started.push(i));
    expect(started).toEqual([0, 1, 2]);
    limiter.release(socket);
    expect(started).toEqual([0, 1, 2, 3]);
    limiter.release(socket);
    limiter.release(socket);
    limiter.release(socket);
    expect(socket.isPaused()).toBe(false);
  });

  it('closes a connection that pipelines more than twice the limit without reading', () => {
    const socket = new PassThrough() as unknown as Socket;
    const limiter = new ConnectionLimiter(2);
    const started: number[] = [];
    for (let i = 0; i < 4; i++) limiter.acquire(socket, () => started.push(i));
    expect(socket.destroyed).toBe(false);
    limiter.acquire(socket, () => started.push(4));
    expect(socket.destroyed).toBe(true);
    expect(started).toEqual([0, 1]);
  });

  it('runs at most the limit at once, stops reading the socket past it, and resumes in order', () => {
    const socket = new PassThrough() as unknown as Socket;
    const limiter = new ConnectionLimiter(2);
    const started: number[] = [];
    for (let i = 0; i < 4; i++) limiter.acquire(socket, () => started.push(i));
    expect(started).toEqual([0, 1]);
    expect(socket.isPaused()).toBe(true);

    limiter.release(socket);
    expect(started).toEqual([0, 1, 2]);
    limiter.release(socket);
    expect(started).toEqual([0, 1, 2, 3]);
    expect(socket.isPaused()).toBe(true);

    limiter.release(socket);
    limiter.release(socket);
    expect(socket.isPaused()).toBe(false);
  });

  it('keeps each connection’s count apart', () => {
    const [a, b] = [new PassThrough(), new PassThrough()] as unknown as Socket[];
    const limiter = new ConnectionLimiter(1);
    const started: string[] = [];
    limiter.acquire(a as Socket, () => started.push('a1'));
    limiter.acquire(b as Socket, () => started.push('b1'));
    limiter.acquire(a as Socket, () => started.push('a2'));
    expect(started).toEqual(['a1', 'b1']);
  });

  it('resumes a waiting request in its own async context, not the releasing one’s', () => {
    const socket = new PassThrough() as unknown as Socket;
    const limiter = new ConnectionLimiter(1);
    const scope = new AsyncLocalStorage<string>();
    const seen: (string | undefined)[] = [];
    scope.run('first', () => limiter.acquire(socket, () => seen.push(scope.getStore())));
    scope.run('second', () => limiter.acquire(socket, () => seen.push(scope.getStore())));
    expect(seen).toEqual(['first']);
    scope.run('first', () => limiter.release(socket));
    expect(seen).toEqual(['first', 'second']);
  });
});
