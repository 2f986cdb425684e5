// The first import of main.ts: tracing (when OTEL_* asks for it) must patch
// the http and pg modules before anything loads them.
import { startTracing } from '@bookshop/platform/tracing';

startTracing('websocket');
