// Parley's rules for its manifests (check_manifests.js lists them): the
// expectations, and the Checker that reports every object breaking one.
'use strict';

const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { imageName, imageTag, isEmptySelector, listenPort, podLabelsOf, podSpecOf, ref, selectorMatches } = require('./manifest_model');

// --- Parley's expectations -------------------------------------------------

const GATEWAY = 'gateway';
const DOMAINS = { exchanges: 50061, negotiations: 50062, incidents: 50063 };
const GATEWAY_PORT = 50051;
const GATEWAY_HEALTH_PORT = 50050;
const STORE_MOUNT = '/var/lib/parley';
// Secrets the operator creates for base and prod (deploy/README.md), and the
// keys each must hold.
const OPERATOR_SECRETS = {
  'parley-auth': ['tokens', 'service-token'],
  'parley-tls': ['tls.crt', 'tls.key'],
  // Mutual TLS inside (prod): the stores' certificate and the gateway's
  // client certificate, each with the CA that signs the other's.
  'parley-internal-tls': ['tls.crt', 'tls.key', 'ca.crt'],
  'parley-gateway-client-tls': ['tls.crt', 'tls.key', 'ca.crt'],
};
const MIN_GATEWAY_REPLICAS = { base: 2, prod: 3 };
const DEFAULT_SHUTDOWN_GRACE_SECONDS = 20; // common/server.cc
const CLUSTER_SCOPED = new Set([
  'Namespace', 'ClusterRole', 'ClusterRoleBinding', 'PersistentVolume',
  'StorageClass', 'CustomResourceDefinition', 'PriorityClass',
]);
const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job']);
const LONG_RUNNING = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);


// --- the rules ---------------------------------------------------------------

class Checker {
  constructor(objects, profile, opts) {
    this.objects = objects;
    this.profile = profile;
    this.opts = opts;
    this.problems = [];
    this.workloads = objects.filter((o) => WORKLOAD_KINDS.has(o.kind) && podSpecOf(o));
  }

  fail(obj, msg) {
    this.problems.push(obj ? `${ref(obj)}: ${msg}` : msg);
  }

  find(kind, name) {
    return this.objects.find((o) => o.kind === kind && o.metadata.name === name);
  }

  // The workload for a Parley component, by its app.kubernetes.io/name.
  workload(name) {
    return this.workloads.find((w) => podLabelsOf(w)['app.kubernetes.io/name'] === name);
  }

  // Env of a container: envFrom ConfigMaps (which must be rendered), then env.
  env(obj, container) {
    const env = {};
    const sources = {};
    for (const from of container.envFrom || []) {
      if (from.configMapRef) {
        const cm = this.find('ConfigMap', from.configMapRef.name);
        if (!cm) {
          if (!from.configMapRef.optional) {
            this.fail(obj, `container ${container.name}: envFrom ConfigMap ${from.configMapRef.name} is not in the rendered manifests`);
          }
          continue;
        }
        for (const [k, v] of Object.entries(cm.data || {})) {
          env[(from.prefix || '') + k] = v;
          sources[(from.prefix || '') + k] = `ConfigMap/${cm.metadata.name}`;
        }
      }
    }
    for (const e of container.env || []) {
      if (e.value !== undefined) {
        env[e.name] = e.value;
        sources[e.name] = 'env';
      } else if (e.valueFrom && e.valueFrom.configMapKeyRef) {
        const r = e.valueFrom.configMapKeyRef;
        const cm = this.find('ConfigMap', r.name);
        if (!cm || !cm.data || cm.data[r.key] === undefined) {
          this.fail(obj, `container ${container.name}: env ${e.name} refers to ConfigMap ${r.name} key ${r.key}, not rendered`);
        } else {
          env[e.name] = cm.data[r.key];
          sources[e.name] = `ConfigMap/${cm.metadata.name}`;
        }
      } else {
        env[e.name] = '';
        sources[e.name] = 'env';
      }
    }
    return { env, sources };
  }

  // Where a file path in a container comes from: {secret, key} for a Secret
  // volume, {volume} otherwise, or null if no mount holds it.
  fileSource(obj, container, file) {
    const spec = podSpecOf(obj);
    let best = null;
    for (const m of container.volumeMounts || []) {
      const mp = m.mountPath.replace(/\/+$/, '');
      if (file === mp || file.startsWith(mp + '/')) {
        if (!best || mp.length > best.mountPath.length) best = { ...m, mountPath: mp };
      }
    }
    if (!best) return null;
    const rel = file.slice(best.mountPath.length + 1);
    const volume = (spec.volumes || []).find((v) => v.name === best.name);
    if (volume && volume.secret) {
      let key = rel;
      if (volume.secret.items) {
        const item = volume.secret.items.find((it) => it.path === rel);
        key = item ? item.key : null;
      }
      return { secret: volume.secret.secretName, key, mount: best, volume };
    }
    return { volume, mount: best, claimTemplate: !volume };
  }

  secretKeys(name) {
    const s = this.find('Secret', name);
    if (s) return Object.keys({ ...(s.data || {}), ...(s.stringData || {}) });
    if (this.profile !== 'dev') {
      // Hash-suffixed names never refer to operator Secrets.
      if (OPERATOR_SECRETS[name]) return OPERATOR_SECRETS[name];
    }
    return null;
  }

  // A file the service reads (tokens, certificate...) must be a key of a
  // mounted Secret that exists (rendered, or created by the operator).
  checkSecretFile(obj, container, envName, file) {
    const src = this.fileSource(obj, container, file);
    if (!src || !src.secret) {
      this.fail(obj, `container ${container.name}: ${envName}=${file} is not on a mounted Secret volume`);
      return;
    }
    if (src.key == null) {
      this.fail(obj, `container ${container.name}: ${envName}=${file}: Secret volume ${src.volume.name} has no item with path ${path.basename(file)}`);
      return;
    }
    const keys = this.secretKeys(src.secret);
    if (keys == null) {
      this.fail(obj, `container ${container.name}: ${envName}: Secret ${src.secret} is neither rendered nor one the operator creates (${Object.keys(OPERATOR_SECRETS).join(', ')}; dev must render its own)`);
    } else if (!keys.includes(src.key)) {
      this.fail(obj, `container ${container.name}: ${envName}: Secret ${src.secret} has no key ${src.key}`);
    }
  }

  checkContainerSecurity(obj, container, kindOfContainer) {
    const podSc = podSpecOf(obj).securityContext || {};
    const sc = container.securityContext || {};
    const where = `${kindOfContainer} ${container.name}`;
    const runAsNonRoot = sc.runAsNonRoot !== undefined ? sc.runAsNonRoot : podSc.runAsNonRoot;
    const runAsUser = sc.runAsUser !== undefined ? sc.runAsUser : podSc.runAsUser;
    const seccomp = sc.seccompProfile || podSc.seccompProfile;
    if (runAsNonRoot !== true) this.fail(obj, `${where}: runAsNonRoot is not true`);
    if (runAsUser === undefined || !Number.isInteger(runAsUser) || runAsUser <= 0) {
      this.fail(obj, `${where}: runAsUser must be a non-root numeric uid (is ${runAsUser})`);
    }
    if (sc.readOnlyRootFilesystem !== true) this.fail(obj, `${where}: readOnlyRootFilesystem is not true`);
    if (sc.allowPrivilegeEscalation !== false) this.fail(obj, `${where}: allowPrivilegeEscalation is not false`);
    if (sc.privileged === true) this.fail(obj, `${where}: privileged`);
    const caps = sc.capabilities || {};
    if (!(caps.drop || []).includes('ALL')) this.fail(obj, `${where}: capabilities do not drop ALL`);
    if ((caps.add || []).length) this.fail(obj, `${where}: capabilities add ${caps.add.join(', ')}`);
    if (!seccomp || !['RuntimeDefault', 'Localhost'].includes(seccomp.type)) {
      this.fail(obj, `${where}: seccompProfile is not RuntimeDefault`);
    }
    const res = container.resources || {};
    for (const part of ['requests', 'limits']) {
      for (const r of ['cpu', 'memory']) {
        if (!res[part] || res[part][r] === undefined) this.fail(obj, `${where}: no resources.${part}.${r}`);
      }
    }
    if (!container.image) {
      this.fail(obj, `${where}: no image`);
    } else {
      const tag = imageTag(container.image);
      if (!tag || tag === 'latest') this.fail(obj, `${where}: image ${container.image} has no fixed tag`);
    }
    // A read-only root needs a writable /tmp.
    const tmp = this.fileSource(obj, container, '/tmp');
    if (!tmp || !tmp.volume || !tmp.volume.emptyDir || tmp.mount.mountPath !== '/tmp') {
      this.fail(obj, `${where}: no emptyDir mounted at /tmp (the root filesystem is read-only)`);
    }
  }

  checkProbes(obj, container, env) {
    const ports = new Map((container.ports || []).map((p) => [p.name, p.containerPort]));
    const portNumbers = new Set((container.ports || []).map((p) => p.containerPort));
    const tls = env.PARLEY_TLS_CERT_FILE || env.PARLEY_TLS_KEY_FILE;
    for (const kind of ['livenessProbe', 'readinessProbe']) {
      const probe = container[kind];
      if (!probe) {
        this.fail(obj, `container ${container.name}: no ${kind}`);
        continue;
      }
      const handlers = ['exec', 'httpGet', 'tcpSocket', 'grpc'].filter((h) => probe[h]);
      if (!probe.grpc || handlers.length !== 1) {
        this.fail(obj, `container ${container.name}: ${kind} is not a grpc probe (has ${handlers.join(', ') || 'no handler'})`);
        continue;
      }
      let port = probe.grpc.port;
      if (typeof port === 'string') port = ports.get(port);
      if (!portNumbers.has(port)) {
        this.fail(obj, `container ${container.name}: ${kind} port ${probe.grpc.port} is not one of its containerPorts`);
        continue;
      }
      const listen = listenPort(env.PARLEY_LISTEN);
      const health = listenPort(env.PARLEY_HEALTH_LISTEN);
      if (health && health.port === port) continue; // plaintext health port
      if (listen && listen.port === port) {
        if (tls) {
          this.fail(obj, `container ${container.name}: ${kind} probes the TLS port ${port}; kubelet gRPC probes speak plaintext (use PARLEY_HEALTH_LISTEN)`);
        }
        continue;
      }
      this.fail(obj, `container ${container.name}: ${kind} port ${port} is neither PARLEY_LISTEN nor PARLEY_HEALTH_LISTEN`);
    }
  }

  // Listening addresses: reachable (0.0.0.0), matching the declared ports and
  // the Prometheus annotations.
  checkListeners(obj, container, env, grpcPort) {
    const ports = new Map((container.ports || []).map((p) => [p.name, p.containerPort]));
    const listen = listenPort(env.PARLEY_LISTEN);
    if (!listen || listen.host !== '0.0.0.0') {
      this.fail(obj, `container ${container.name}: PARLEY_LISTEN=${env.PARLEY_LISTEN} is not 0.0.0.0:<port> (the default 127.0.0.1 is unreachable)`);
    } else if (listen.port !== grpcPort || ports.get('grpc') !== grpcPort) {
      this.fail(obj, `container ${container.name}: gRPC port is ${listen.port} (containerPort grpc ${ports.get('grpc')}), expected ${grpcPort}`);
    }
    const metrics = listenPort(env.PARLEY_METRICS_LISTEN);
    const annotations = (obj.spec.template.metadata || {}).annotations || {};
    if (!metrics || metrics.host !== '0.0.0.0') {
      this.fail(obj, `container ${container.name}: PARLEY_METRICS_LISTEN=${env.PARLEY_METRICS_LISTEN} is not 0.0.0.0:<port>`);
    } else {
      if (ports.get('metrics') !== metrics.port) {
        this.fail(obj, `container ${container.name}: no containerPort named metrics at ${metrics.port}`);
      }
      if (annotations['prometheus.io/scrape'] !== 'true' || annotations['prometheus.io/port'] !== String(metrics.port)) {
        this.fail(obj, `pod annotations prometheus.io/scrape and prometheus.io/port do not name the metrics port ${metrics.port}`);
      }
    }
    const grace = Number(env.PARLEY_SHUTDOWN_GRACE_SECONDS || DEFAULT_SHUTDOWN_GRACE_SECONDS) +
      Number(env.PARLEY_SHUTDOWN_DRAIN_SECONDS || 0);
    const termination = podSpecOf(obj).terminationGracePeriodSeconds;
    const effective = termination === undefined ? 30 : termination;
    if (effective <= grace) {
      this.fail(obj, `terminationGracePeriodSeconds ${effective} does not exceed the service's shutdown drain and grace (${grace}s)`);
    }
    if (!env.PARLEY_SERVICE_TOKEN_FILE) {
      this.fail(obj, `container ${container.name}: no PARLEY_SERVICE_TOKEN_FILE (a domain service without it accepts anyone)`);
    } else {
      this.checkSecretFile(obj, container, 'PARLEY_SERVICE_TOKEN_FILE', env.PARLEY_SERVICE_TOKEN_FILE);
    }
  }

  checkWorkloads() {
    for (const w of this.workloads) {
      const spec = podSpecOf(w);
      if (spec.automountServiceAccountToken !== false) {
        this.fail(w, 'automountServiceAccountToken is not false (Parley calls no Kubernetes API)');
      }
      if (spec.hostNetwork || spec.hostPID || spec.hostIPC) this.fail(w, 'uses the host namespaces');
      for (const c of spec.initContainers || []) this.checkContainerSecurity(w, c, 'initContainer');
      for (const c of spec.containers || []) this.checkContainerSecurity(w, c, 'container');
      for (const v of spec.volumes || []) {
        if (v.hostPath) this.fail(w, `volume ${v.name} is a hostPath`);
      }
    }
  }

  checkGateway() {
    const gw = this.workload(GATEWAY);
    if (!gw) {
      this.fail(null, 'no gateway workload (pods labelled app.kubernetes.io/name=gateway)');
      return;
    }
    if (gw.kind !== 'Deployment') this.fail(gw, 'the gateway must be a Deployment');
    const replicas = gw.spec.replicas === undefined ? 1 : gw.spec.replicas;
    const min = MIN_GATEWAY_REPLICAS[this.profile];
    if (min && replicas < min) this.fail(gw, `replicas ${replicas}, expected at least ${min} in ${this.profile}`);
    if (this.profile === 'dev' && replicas !== 1) this.fail(gw, `replicas ${replicas}, expected 1 in dev`);
    const c = podSpecOf(gw).containers[0];
    const { env, sources } = this.env(gw, c);
    this.checkProbes(gw, c, env);
    this.checkListeners(gw, c, env, GATEWAY_PORT);
    const health = listenPort(env.PARLEY_HEALTH_LISTEN);
    if (!health || health.host !== '0.0.0.0' || health.port !== GATEWAY_HEALTH_PORT) {
      this.fail(gw, `PARLEY_HEALTH_LISTEN=${env.PARLEY_HEALTH_LISTEN}, expected 0.0.0.0:${GATEWAY_HEALTH_PORT} (plaintext health for the kubelet)`);
    }
    for (const kind of ['livenessProbe', 'readinessProbe']) {
      if (c[kind] && c[kind].grpc && c[kind].grpc.port !== GATEWAY_HEALTH_PORT && c[kind].grpc.port !== 'health') {
        this.fail(gw, `${kind} must probe the health port ${GATEWAY_HEALTH_PORT}`);
      }
    }
    // Transport.
    const tlsEnv = ['PARLEY_TLS_CERT_FILE', 'PARLEY_TLS_KEY_FILE'];
    if (this.profile === 'dev') {
      if (env.PARLEY_PLAINTEXT !== 'true') this.fail(gw, 'dev gateway: PARLEY_PLAINTEXT is not "true"');
      for (const e of tlsEnv) if (env[e]) this.fail(gw, `dev gateway: ${e} is set (dev serves plaintext)`);
    } else {
      if (env.PARLEY_PLAINTEXT && env.PARLEY_PLAINTEXT !== 'false') {
        this.fail(gw, `${this.profile} gateway: PARLEY_PLAINTEXT=${env.PARLEY_PLAINTEXT} (must serve TLS)`);
      }
      for (const e of tlsEnv) {
        if (!env[e]) this.fail(gw, `${this.profile} gateway: no ${e} (must serve TLS)`);
        else this.checkSecretFile(gw, c, e, env[e]);
      }
    }
    if (!env.PARLEY_TOKENS_FILE) this.fail(gw, 'no PARLEY_TOKENS_FILE');
    else this.checkSecretFile(gw, c, 'PARLEY_TOKENS_FILE', env.PARLEY_TOKENS_FILE);
    // Upstreams: from a ConfigMap, naming the domain Services.
    for (const [domain, port] of Object.entries(DOMAINS)) {
      const name = `PARLEY_${domain.toUpperCase()}_ADDRESS`;
      const value = env[name];
      if (!value) {
        this.fail(gw, `no ${name}`);
        continue;
      }
      if (!String(sources[name]).startsWith('ConfigMap/')) {
        this.fail(gw, `${name} is not set from a ConfigMap`);
      }
      const m = /^(?:dns:(?:\/\/[^/]*)?\/+)?([a-z0-9-]+)(\.[a-z0-9.-]+)?:(\d+)$/.exec(value);
      const svc = m && this.find('Service', m[1]);
      const target = this.workload(domain);
      if (!m || !svc) {
        this.fail(gw, `${name}=${value} names no rendered Service`);
      } else if (Number(m[3]) !== port || !(svc.spec.ports || []).some((p) => p.port === port)) {
        this.fail(gw, `${name}=${value}: Service ${m[1]} does not serve port ${port}`);
      } else if (target && !selectorMatches({ matchLabels: svc.spec.selector }, podLabelsOf(target))) {
        this.fail(gw, `${name}=${value}: Service ${m[1]} does not select the ${domain} pods`);
      }
    }
    const svc = this.objects.find((o) => o.kind === 'Service' && o.spec && o.spec.selector &&
      selectorMatches({ matchLabels: o.spec.selector }, podLabelsOf(gw)) &&
      (o.spec.ports || []).some((p) => p.port === GATEWAY_PORT));
    if (!svc) this.fail(gw, `no Service selects the gateway pods on port ${GATEWAY_PORT}`);
  }

  checkDomains() {
    for (const [domain, port] of Object.entries(DOMAINS)) {
      const w = this.workload(domain);
      if (!w) {
        this.fail(null, `no ${domain} workload (pods labelled app.kubernetes.io/name=${domain})`);
        continue;
      }
      if (w.kind !== 'StatefulSet') {
        this.fail(w, `${domain} must be a StatefulSet (one writer per RocksDB, a volume of its own)`);
        continue;
      }
      if (w.spec.replicas !== 1) this.fail(w, `replicas must be 1 (single-writer RocksDB), is ${w.spec.replicas}`);
      const c = podSpecOf(w).containers[0];
      const { env } = this.env(w, c);
      this.checkProbes(w, c, env);
      this.checkListeners(w, c, env, port);
      // A store serves TLS only as mutual TLS with the gateway: it requires
      // the gateway's client certificate, and the gateway checks its own
      // (checkProbes has already kept its probes off the TLS port).
      if (env.PARLEY_TLS_CERT_FILE) {
        for (const e of ['PARLEY_TLS_CERT_FILE', 'PARLEY_TLS_KEY_FILE', 'PARLEY_TLS_CLIENT_CA_FILE']) {
          if (env[e]) this.checkSecretFile(w, c, e, env[e]);
        }
        if (env.PARLEY_PLAINTEXT === 'true') this.fail(w, 'domain service: PARLEY_TLS_CERT_FILE and PARLEY_PLAINTEXT=true at once (it refuses to start)');
        if (!env.PARLEY_TLS_CLIENT_CA_FILE) this.fail(w, 'domain service serves TLS without PARLEY_TLS_CLIENT_CA_FILE: anyone with network access could call it; require the gateway\'s client certificate');
        const gw = this.workload(GATEWAY);
        const gwEnv = gw ? this.env(gw, podSpecOf(gw).containers[0]).env : {};
        if (!gwEnv.PARLEY_UPSTREAM_CA_FILE) this.fail(w, 'domain service serves TLS but the gateway has no PARLEY_UPSTREAM_CA_FILE: it would call it in plaintext');
        if (!gwEnv.PARLEY_UPSTREAM_CERT_FILE || !gwEnv.PARLEY_UPSTREAM_KEY_FILE) this.fail(w, 'domain service requires a client certificate but the gateway presents none (PARLEY_UPSTREAM_CERT_FILE, PARLEY_UPSTREAM_KEY_FILE)');
        if (gw) {
          for (const e of ['PARLEY_UPSTREAM_CA_FILE', 'PARLEY_UPSTREAM_CERT_FILE', 'PARLEY_UPSTREAM_KEY_FILE']) {
            if (gwEnv[e]) this.checkSecretFile(gw, podSpecOf(gw).containers[0], e, gwEnv[e]);
          }
        }
      }
      const templates = w.spec.volumeClaimTemplates || [];
      if (!templates.length) {
        this.fail(w, 'no volumeClaimTemplates (the store needs a PersistentVolumeClaim)');
      }
      for (const t of templates) {
        const storage = t.spec && t.spec.resources && t.spec.resources.requests && t.spec.resources.requests.storage;
        if (!storage) this.fail(w, `volumeClaimTemplate ${t.metadata.name}: no storage request`);
      }
      const mount = (c.volumeMounts || []).find((m) => m.mountPath === STORE_MOUNT);
      if (!mount || !templates.some((t) => t.metadata.name === mount.name)) {
        this.fail(w, `no volumeClaimTemplate mounted at ${STORE_MOUNT}`);
      } else {
        for (const e of ['PARLEY_DATA_DIR', 'PARLEY_BACKUP_DIR']) {
          if (!env[e] || !env[e].startsWith(STORE_MOUNT + '/')) {
            this.fail(w, `${e}=${env[e]} is not on the volume at ${STORE_MOUNT}`);
          }
        }
      }
      const svc = this.find('Service', w.spec.serviceName);
      if (!svc) {
        this.fail(w, `serviceName ${w.spec.serviceName} names no rendered Service`);
      } else {
        if (svc.spec.clusterIP !== 'None') this.fail(svc, `the ${domain} Service is not headless (clusterIP: None)`);
        if (!selectorMatches({ matchLabels: svc.spec.selector }, podLabelsOf(w))) {
          this.fail(svc, `does not select the ${domain} pods`);
        }
        if (!(svc.spec.ports || []).some((p) => p.port === port)) this.fail(svc, `no port ${port}`);
      }
    }
  }

  checkDisruptionBudgets() {
    const pdbs = this.objects.filter((o) => o.kind === 'PodDisruptionBudget');
    for (const w of this.workloads.filter((o) => LONG_RUNNING.has(o.kind))) {
      const mine = pdbs.filter((p) => selectorMatches(p.spec.selector, podLabelsOf(w)));
      if (mine.length !== 1) {
        this.fail(w, `${mine.length} PodDisruptionBudgets select its pods, expected one`);
        continue;
      }
      const others = this.workloads.filter((o) => o !== w && selectorMatches(mine[0].spec.selector, podLabelsOf(o)));
      if (others.length) this.fail(mine[0], `also selects ${others.map(ref).join(', ')}`);
    }
  }

  // Ports of an ingress rule as numbers (named ports resolved on the pods).
  rulePorts(rule, pods) {
    if (!rule.ports || rule.ports.length === 0) return 'all';
    const out = new Set();
    for (const p of rule.ports) {
      if (typeof p.port === 'number') {
        out.add(p.port);
        if (p.endPort) for (let i = p.port; i <= p.endPort; i++) out.add(i);
      } else if (p.port === undefined) {
        return 'all';
      } else {
        for (const w of pods) {
          for (const c of podSpecOf(w).containers) {
            for (const cp of c.ports || []) if (cp.name === p.port) out.add(cp.containerPort);
          }
        }
      }
    }
    return out;
  }

  checkNetworkPolicies() {
    const nps = this.objects.filter((o) => o.kind === 'NetworkPolicy');
    const deny = nps.find((n) => isEmptySelector(n.spec.podSelector) &&
      (n.spec.policyTypes || []).includes('Ingress') && !(n.spec.ingress || []).length);
    if (!deny) this.fail(null, 'NetworkPolicy: no default deny of ingress (podSelector {}, policyTypes [Ingress], no rules)');
    const gw = this.workload(GATEWAY);
    const gwLabels = gw ? podLabelsOf(gw) : {};
    const selecting = (w) => nps.filter((n) => selectorMatches(n.spec.podSelector, podLabelsOf(w)) &&
      (!n.spec.policyTypes || n.spec.policyTypes.includes('Ingress')));

    for (const [domain, port] of Object.entries(DOMAINS)) {
      const w = this.workload(domain);
      if (!w) continue;
      const policies = selecting(w);
      const own = policies.filter((n) => !isEmptySelector(n.spec.podSelector));
      if (!own.length) this.fail(w, `NetworkPolicy: none selects the ${domain} pods by label`);
      for (const n of own) {
        const alsoSelected = this.workloads.filter((o) => o !== w && selectorMatches(n.spec.podSelector, podLabelsOf(o)));
        if (alsoSelected.length) {
          this.fail(n, `selects more than the ${domain} pods: ${alsoSelected.map(ref).join(', ')}`);
        }
      }
      let gatewayAllowed = false;
      for (const n of policies) {
        (n.spec.ingress || []).forEach((rule, i) => {
          const ports = this.rulePorts(rule, [w]);
          if (ports !== 'all' && !ports.has(port)) return;
          const where = `ingress[${i}] (allowing ${ports === 'all' ? 'every port' : `port ${port}`})`;
          const from = rule.from || [];
          if (!from.length) {
            this.fail(n, `${where} is open to every source; the ${domain} gRPC port must be reached only from the gateway pods`);
            return;
          }
          for (const peer of from) {
            if (peer.ipBlock || peer.namespaceSelector || !peer.podSelector) {
              this.fail(n, `${where} allows ${JSON.stringify(peer)}; only a podSelector on the gateway pods' labels may reach the ${domain} gRPC port`);
            } else if (!selectorMatches(peer.podSelector, gwLabels)) {
              this.fail(n, `${where} allows pods ${JSON.stringify(peer.podSelector)}, which are not the gateway pods`);
            } else {
              const others = this.workloads.filter((o) => o !== gw && selectorMatches(peer.podSelector, podLabelsOf(o)));
              if (others.length) {
                this.fail(n, `${where} allows more than the gateway pods: ${others.map(ref).join(', ')}`);
              } else {
                gatewayAllowed = true;
              }
            }
          }
        });
      }
      if (!gatewayAllowed) this.fail(w, `NetworkPolicy: the gateway pods may not reach ${domain}:${port}`);
    }
    if (gw) {
      const rules = selecting(gw).flatMap((n) => (n.spec.ingress || []).map((r) => ({ n, r })));
      if (!rules.some(({ r }) => { const p = this.rulePorts(r, [gw]); return p === 'all' || p.has(GATEWAY_PORT); })) {
        this.fail(gw, `NetworkPolicy: nothing allows ingress to the gateway on ${GATEWAY_PORT}`);
      }
      for (const { n, r } of rules) {
        const p = this.rulePorts(r, [gw]);
        if (p !== 'all' && p.has(GATEWAY_HEALTH_PORT)) {
          this.fail(n, `opens the gateway's plaintext health port ${GATEWAY_HEALTH_PORT} (for the kubelet only)`);
        }
      }
    }
  }

  checkNamespaceAndSecrets() {
    if (this.profile === 'dev' || this.profile === 'prod') {
      const namespaces = this.objects.filter((o) => o.kind === 'Namespace');
      if (namespaces.length !== 1) {
        this.fail(null, `expected one Namespace in ${this.profile}, found ${namespaces.length}`);
      } else {
        const ns = namespaces[0].metadata.name;
        for (const o of this.objects) {
          if (!CLUSTER_SCOPED.has(o.kind) && o.metadata.namespace !== ns) {
            this.fail(o, `namespace ${o.metadata.namespace}, expected ${ns}`);
          }
        }
      }
    }
    if (!this.objects.some((o) => o.kind === 'ConfigMap')) this.fail(null, 'no ConfigMap');
    const secrets = this.objects.filter((o) => o.kind === 'Secret');
    if (this.profile === 'dev') {
      if (!secrets.length) this.fail(null, 'dev: no Secret (the dev tokens)');
      for (const s of secrets) this.checkDevSecret(s);
    } else if (secrets.length) {
      for (const s of secrets) this.fail(s, `${this.profile} must not commit Secrets; the operator creates them`);
    }
    // Every Secret a pod mounts exists.
    for (const w of this.workloads) {
      for (const v of podSpecOf(w).volumes || []) {
        if (!v.secret) continue;
        if (this.secretKeys(v.secret.secretName) == null) {
          this.fail(w, `volume ${v.name}: Secret ${v.secret.secretName} is neither rendered nor one the operator creates`);
        }
      }
    }
    if (this.profile !== 'dev' && this.opts.readme) {
      let readme = '';
      try {
        readme = fs.readFileSync(this.opts.readme, 'utf8');
      } catch (e) {
        this.fail(null, `cannot read ${this.opts.readme}: ${e.message}`);
      }
      const used = new Set(this.workloads.flatMap((w) => (podSpecOf(w).volumes || [])
        .filter((v) => v.secret).map((v) => v.secret.secretName)));
      for (const name of used) {
        const kind = name === 'parley-tls' ? 'tls' : 'generic';
        if (!new RegExp(`create secret ${kind} ${name}\\b`).test(readme)) {
          this.fail(null, `${this.opts.readme} does not say how to create Secret ${name} (kubectl create secret ${kind} ${name} ...)`);
        }
      }
    }
  }

  // The dev Secret: a well-formed tokens file whose published tokens (the
  // "# token: X" comments) hash to its lines, and a service token.
  checkDevSecret(s) {
    const data = s.data || {};
    const decode = (k) => (data[k] !== undefined ? Buffer.from(data[k], 'base64').toString('utf8')
      : (s.stringData || {})[k]);
    const tokens = decode('tokens');
    const serviceToken = decode('service-token');
    if (tokens === undefined) {
      this.fail(s, 'no key tokens');
      return;
    }
    if (!serviceToken || !serviceToken.trim() || serviceToken.trim().includes('\n')) {
      this.fail(s, 'service-token must be one non-empty line');
    }
    const published = new Set();
    const roles = new Set();
    tokens.split('\n').forEach((line, i) => {
      const t = /^#\s*token:\s*(\S+)\s*$/.exec(line);
      if (t) published.add(crypto.createHash('sha256').update(t[1]).digest('hex'));
      const l = line.trim();
      if (!l || l.startsWith('#')) return;
      const f = l.split(/\s+/);
      if (f.length < 3 || !/^[0-9a-f]{64}$/.test(f[0]) || !['reader', 'editor', 'admin'].includes(f[1])) {
        this.fail(s, `tokens line ${i + 1} is not "<sha256 hex> <reader|editor|admin> <name>": ${l}`);
        return;
      }
      roles.add(f[1]);
      if (!published.has(f[0])) this.fail(s, `tokens line ${i + 1}: no "# token:" comment above it hashes to ${f[0].slice(0, 12)}...`);
    });
    for (const r of ['reader', 'editor', 'admin']) if (!roles.has(r)) this.fail(s, `no ${r} token`);
  }

  checkRestore() {
    const jobs = this.objects.filter((o) => o.kind === 'Job');
    if (jobs.length !== 1) {
      this.fail(null, `restore: expected one Job, found ${jobs.length}`);
      return;
    }
    const job = jobs[0];
    const spec = podSpecOf(job);
    if (spec.restartPolicy !== 'Never') this.fail(job, 'restartPolicy must be Never');
    const base = this.opts.baseObjects || [];
    const c = spec.containers[0];
    const argv = [...(c.command || []), ...(c.args || [])];
    const m = /^parley-(\w+)$/.exec(argv[0] || '');
    const sts = m && base.find((o) => o.kind === 'StatefulSet' && o.metadata.name === m[1]);
    if (!sts) {
      this.fail(job, `command ${argv[0]} is no domain service of the base's StatefulSets`);
      return;
    }
    const stsContainer = podSpecOf(sts).containers[0];
    if (imageName(c.image) !== imageName(stsContainer.image)) {
      this.fail(job, `image ${c.image} is not the StatefulSet's (${stsContainer.image})`);
    }
    const baseChecker = new Checker(base, 'base', {});
    const { env } = baseChecker.env(sts, stsContainer);
    const storeMount = (stsContainer.volumeMounts || []).find((vm) => vm.mountPath === STORE_MOUNT);
    const template = storeMount && (sts.spec.volumeClaimTemplates || []).find((t) => t.metadata.name === storeMount.name);
    if (!template) {
      this.fail(sts, `no volumeClaimTemplate at ${STORE_MOUNT}`);
      return;
    }
    const claim = `${template.metadata.name}-${sts.metadata.name}-0`;
    for (const container of [...(spec.initContainers || []), ...spec.containers]) {
      const vm = (container.volumeMounts || []).find((v) => v.mountPath === STORE_MOUNT);
      const vol = vm && (spec.volumes || []).find((v) => v.name === vm.name);
      if (!vol || !vol.persistentVolumeClaim || vol.persistentVolumeClaim.claimName !== claim) {
        this.fail(job, `container ${container.name}: does not mount the claim ${claim} at ${STORE_MOUNT}`);
      }
    }
    for (const [flag, e] of [['--data_dir', 'PARLEY_DATA_DIR'], ['--restore_from', 'PARLEY_BACKUP_DIR']]) {
      if (!argv.includes(`${flag}=${env[e]}`)) {
        this.fail(job, `command lacks ${flag}=${env[e]} (the StatefulSet's ${e})`);
      }
    }
  }

  run() {
    this.checkWorkloads();
    if (this.profile === 'restore') {
      this.checkRestore();
      return this.problems;
    }
    this.checkGateway();
    this.checkDomains();
    this.checkDisruptionBudgets();
    this.checkNetworkPolicies();
    this.checkNamespaceAndSecrets();
    return this.problems;
  }
}


module.exports = { CLUSTER_SCOPED, DEFAULT_SHUTDOWN_GRACE_SECONDS, DOMAINS, GATEWAY, GATEWAY_HEALTH_PORT, GATEWAY_PORT, LONG_RUNNING, MIN_GATEWAY_REPLICAS, OPERATOR_SECRETS, STORE_MOUNT, WORKLOAD_KINDS, Checker };
