// deploy/k8s: every overlay renders with kustomize (kubectl's own, `kubectl
// kustomize`, as `kubectl apply -k` renders it), and every object it renders
// is valid against the Kubernetes API schemas (kubernetes-models, no cluster
// needed); then what docs/deploy.md promises of the objects.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

const root = join(__dirname, '../../..');
const OVERLAYS = ['dev', 'prod'] as const;
const SERVICES = ['rest', 'soap', 'graphql', 'jsonrpc', 'websocket'];

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: Record<string, any>;
  data?: Record<string, string>;
}

function render(overlay: string): K8sObject[] {
  let out: string;
  try {
    out = execFileSync('kubectl', ['kustomize', join(root, 'deploy/k8s/overlays', overlay)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    const { code, stderr } = error as { code?: string; stderr?: string };
    throw new Error(
      code === 'ENOENT'
        ? 'kubectl (1.27 or later, for its kustomize v5) renders deploy/k8s: install it to run this check'
        : `kubectl kustomize ${overlay} failed: ${stderr ?? String(error)}`,
    );
  }
  return parseAllDocuments(out).map((document) => {
    const [error] = document.errors;
    if (error) throw new Error(`${overlay}: ${error.message}`);
    return document.toJS() as K8sObject;
  });
}

/** The problems the Kubernetes API schemas find in the objects (src/validate.mjs). */
function problemsOf(objects: K8sObject[]): string[] {
  const out = execFileSync(process.execPath, [join(__dirname, 'validate.mjs')], {
    input: JSON.stringify(objects),
    encoding: 'utf8',
  });
  return JSON.parse(out) as string[];
}

const rendered = Object.fromEntries(OVERLAYS.map((overlay) => [overlay, render(overlay)]));
const of = (overlay: string, kind: string) =>
  rendered[overlay]!.filter((object) => object.kind === kind);
const named = (overlay: string, kind: string, name: string) => {
  const found = of(overlay, kind).find((object) => object.metadata.name === name);
  if (!found) throw new Error(`${overlay} renders no ${kind} ${name}`);
  return found;
};

describe.each(OVERLAYS)('deploy/k8s/overlays/%s', (overlay) => {
  it('renders objects that are valid against the Kubernetes schemas', () => {
    expect(problemsOf(rendered[overlay]!)).toEqual([]);
    expect(rendered[overlay]!.length).toBeGreaterThan(20);
  });

  it('puts everything in its namespace', () => {
    const namespace = overlay === 'dev' ? 'bookshop-dev' : 'bookshop';
    expect(of(overlay, 'Namespace').map((object) => object.metadata.name)).toEqual([namespace]);
    const elsewhere = rendered[overlay]!.filter(
      (object) => object.kind !== 'Namespace' && object.metadata.namespace !== namespace,
    );
    expect(elsewhere.map((object) => `${object.kind} ${object.metadata.name}`)).toEqual([]);
  });

  it.each(SERVICES)(
    'runs %s as two probed, non-root replicas with a budget and an autoscaler',
    (service) => {
      const deployment = named(overlay, 'Deployment', service);
      const pod = deployment.spec!['template'].spec;
      const container = pod.containers[0];
      expect(deployment.spec!['replicas']).toBe(2);
      expect(container.readinessProbe.httpGet).toEqual({ path: '/health/ready', port: 'http' });
      expect(container.livenessProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
      expect(container.securityContext).toMatchObject({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
      });
      expect(container.resources.requests).toEqual({
        cpu: expect.any(String),
        memory: expect.any(String),
      });
      expect(container.resources.limits.memory).toEqual(expect.any(String));
      // SIGTERM comes after the preStop pause; the grace period covers both and
      // the service's own SHUTDOWN_TIMEOUT_MS, so it is never killed mid-drain.
      const config = named(overlay, 'ConfigMap', configMapOf(container, 'bookshop-config'));
      const shutdownSeconds = Number(config.data!['SHUTDOWN_TIMEOUT_MS']) / 1000;
      const pause = container.lifecycle.preStop.sleep.seconds as number;
      expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(shutdownSeconds + pause);
      // Keys and the database URL from the Secret, never from a ConfigMap.
      expect(container.envFrom).toContainEqual({
        secretRef: { name: expect.stringMatching(/^bookshop-secrets/) },
      });
      expect(Object.keys(config.data!)).not.toContain('API_KEYS');
      expect(Object.keys(config.data!)).not.toContain('DATABASE_URL');

      const budget = named(overlay, 'PodDisruptionBudget', service);
      expect(budget.spec).toEqual({
        minAvailable: 1,
        selector: { matchLabels: { 'app.kubernetes.io/name': service } },
      });
      const autoscaler = named(overlay, 'HorizontalPodAutoscaler', service);
      expect(autoscaler.spec!['scaleTargetRef']).toEqual({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: service,
      });
      expect(autoscaler.spec!['minReplicas']).toBe(2);
      expect(named(overlay, 'Service', service).spec!['selector']).toEqual(
        deployment.spec!['selector'].matchLabels,
      );
    },
  );

  it('routes the Ingress as the gateway does, WebSockets included', () => {
    const ingress = named(overlay, 'Ingress', 'bookshop');
    const routes = (ingress.spec!['rules'][0].http.paths as IngressPath[]).map(
      (path) =>
        `${path.pathType === 'Exact' ? '=' : '^'} ${path.path} ${path.backend.service.name}`,
    );
    expect(routes.sort()).toEqual(gatewayRoutes().sort());
    expect(ingress.metadata).toMatchObject({
      annotations: {
        'nginx.ingress.kubernetes.io/proxy-body-size': '2m',
        'nginx.ingress.kubernetes.io/proxy-read-timeout': '3600',
      },
    });
  });
});

describe('the schema check', () => {
  it('finds a wrong type, a missing field and an unknown kind', () => {
    const deployment = named('dev', 'Deployment', 'rest');
    const broken = structuredClone(deployment);
    broken.spec!['replicas'] = 'two';
    const headless = structuredClone(deployment);
    delete headless.spec!['selector'];
    const unknown = { ...structuredClone(deployment), kind: 'Deploymnet' };
    expect(problemsOf([broken, headless, unknown])).toEqual([
      expect.stringMatching(/^Deployment rest: .*replicas must be integer/),
      expect.stringMatching(/^Deployment rest: .*must have required property selector/),
      expect.stringMatching(/^Deploymnet rest: /),
    ]);
  });
});

describe('the overlays differ where docs/deploy.md says', () => {
  it('dev runs its own Postgres and generates its Secret; prod does neither', () => {
    expect(of('dev', 'StatefulSet').map((object) => object.metadata.name)).toEqual(['postgres']);
    expect(of('prod', 'StatefulSet')).toEqual([]);
    expect(of('dev', 'Secret').map((object) => object.metadata.name)).toEqual([
      expect.stringMatching(/^bookshop-secrets-/),
      expect.stringMatching(/^postgres-/),
    ]);
    expect(of('prod', 'Secret')).toEqual([]);
  });

  it("dev's Postgres takes every connection the services can open at the autoscalers' maximum", () => {
    const postgres = named('dev', 'StatefulSet', 'postgres');
    const args = postgres.spec!['template'].spec.containers[0].args as string[];
    const maxConnections = Number(/^max_connections=(\d+)$/.exec(args[args.length - 1]!)?.[1]);
    const config = of('dev', 'ConfigMap').find((map) =>
      map.metadata.name.startsWith('bookshop-config'),
    )!;
    const perReplica = Number(config.data!['DATABASE_POOL_SIZE']) + 1; // the pool and the listener
    const most = SERVICES.reduce(
      (sum, service) =>
        sum + named('dev', 'HorizontalPodAutoscaler', service).spec!['maxReplicas'] * perReplica,
      0,
    );
    expect(most).toBeLessThan(maxConnections);
  });

  it('prod pins its images and serves the Ingress on a host with TLS', () => {
    for (const deployment of of('prod', 'Deployment')) {
      const image = deployment.spec!['template'].spec.containers[0].image as string;
      expect(image).toMatch(/^[^:]+\/bookshop\/[a-z]+:\d+\.\d+\.\d+$/);
    }
    const ingress = named('prod', 'Ingress', 'bookshop');
    expect(ingress.spec!['tls']).toEqual([
      { hosts: ['bookshop.example.com'], secretName: 'bookshop-tls' },
    ]);
  });
});

interface IngressPath {
  path: string;
  pathType: string;
  backend: { service: { name: string } };
}

/** The name a container's `envFrom` gives a generated ConfigMap (with its hash suffix). */
function configMapOf(
  container: { envFrom: { configMapRef?: { name: string } }[] },
  prefix: string,
) {
  const ref = container.envFrom.find((from) => from.configMapRef?.name.startsWith(prefix));
  if (!ref?.configMapRef) throw new Error(`no ${prefix} ConfigMap`);
  return ref.configMapRef.name;
}

/**
 * deploy/gateway/nginx.conf's routes to services, as `= path upstream` (an
 * exact location) or `^ path upstream` (a prefix), so that the Ingress and
 * the gateway cannot drift apart. The explorer's API paths, a regular
 * expression in nginx, are listed out as the Ingress lists them.
 */
function gatewayRoutes(): string[] {
  const conf = readFileSync(join(root, 'deploy/gateway/nginx.conf'), 'utf8');
  const routes: string[] = [];
  for (const match of conf.matchAll(/location (=|~)? ?(\S+) \{\s*proxy_pass http:\/\/(\w+)[;/]/g)) {
    const [, modifier, path, upstream] = match as unknown as [
      string,
      string | undefined,
      string,
      string,
    ];
    if (modifier === '~') {
      const names = /^\^\/api\/\((.+)\)\$$/.exec(path)?.[1];
      if (!names) continue; // the per-service health routes: not on the Ingress
      for (const name of names.split('|')) {
        const prefix = name.replace(/\/\[a-z\]\+$/, '');
        routes.push(
          prefix === name ? `= /api/${name} ${upstream}` : `^ /api/${prefix} ${upstream}`,
        );
      }
    } else if (modifier === '=') {
      if (path === '/api') continue; // the Ingress's /api prefix holds it
      routes.push(`= ${path} ${upstream}`);
    } else routes.push(`^ ${path.replace(/\/$/, '') || '/'} ${upstream}`);
  }
  return routes;
}
