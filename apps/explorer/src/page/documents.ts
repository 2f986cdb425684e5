// A contract document made readable: the WSDL, the OpenRPC document, or the
// AsyncAPI document (drawn by the AsyncAPI React component, bundled with the
// explorer). The explorer fetches the document from its service, so the
// browser needs no CORS and loads nothing from elsewhere.

import { byId, json } from './dom';
import { type Config, renderNav } from './nav';
import { renderOpenRpc } from './openrpc-view';
import { renderWsdl } from './wsdl-view';

declare global {
  interface Window {
    AsyncApiStandalone?: {
      render(props: { schema: unknown; config?: unknown }, into: HTMLElement): void;
    };
  }
}

function loadScript(src: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = src;
    script.onload = () => resolve();
    script.onerror = () => reject(new Error(`Could not load ${src}`));
    document.head.append(script);
  });
}

function loadStyle(href: string): void {
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = href;
  document.head.append(link);
}

async function show(protocol: string, into: HTMLElement): Promise<void> {
  const url = `/api/documents/${protocol}`;
  if (protocol === 'soap') {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`The WSDL: ${response.status} ${await response.text()}`);
    renderWsdl(await response.text(), into);
  } else if (protocol === 'jsonrpc') {
    renderOpenRpc(await json(url), into);
  } else if (protocol === 'websocket') {
    const [schema] = await Promise.all([json<unknown>(url), loadScript('/vendor/asyncapi.js')]);
    loadStyle('/vendor/asyncapi.css');
    const standalone = window.AsyncApiStandalone;
    if (!standalone) throw new Error('The AsyncAPI component did not load');
    standalone.render(
      {
        schema,
        config: { show: { sidebar: true, errors: true }, expand: { messageExamples: true } },
      },
      into,
    );
  } else {
    throw new Error(`No readable view for ${protocol}: try soap, jsonrpc or websocket`);
  }
}

async function main(): Promise<void> {
  const status = byId('status');
  try {
    renderNav(await json<Config>('/api/config'));
    const protocol = location.pathname.split('/').filter(Boolean).pop() ?? '';
    document.title = `Bookshop explorer: the ${protocol} contract`;
    await show(protocol, byId('document'));
    document.body.dataset['ready'] = 'true';
  } catch (error) {
    status.textContent = error instanceof Error ? error.message : String(error);
    document.body.dataset['ready'] = 'error';
  }
}

void main();
