#!/usr/bin/env node
// Checks rendered Kubernetes manifests (the output of `kubectl kustomize`):
// every object against the Kubernetes schemas, offline (npm kubernetes-models:
// an unknown apiVersion/kind or a schema error fails), then Parley's rules
// (deploy/README.md and the comments in deploy/k8s say why each holds):
//
// - every container: requests and limits for cpu and memory; runAsNonRoot, a
//   non-root uid, readOnlyRootFilesystem (and an emptyDir at /tmp),
//   allowPrivilegeEscalation false, capabilities drop ALL, seccomp
//   RuntimeDefault; a tagged image;
// - every long-running container: liveness and readiness probes of type grpc
//   on a plaintext port it listens on (0.0.0.0); metrics on 0.0.0.0 at the
//   port the Prometheus annotations name;
// - exchanges, negotiations, incidents: StatefulSets of one replica with a
//   volumeClaimTemplate mounted at /var/lib/parley (data and backups under
//   it), each with a headless Service;
// - the gateway: a Deployment (replicas >= 2 in base, >= 3 in prod, 1 in
//   dev) and a Service on 50051; its upstream addresses, from a ConfigMap,
//   name those Services; TLS env and mounted certificate files in base and
//   prod, PARLEY_PLAINTEXT in dev; probes on its plaintext health port;
// - one PodDisruptionBudget per workload;
// - NetworkPolicy: a default deny of ingress; the domain pods' gRPC ports open
//   only to the gateway pods (by pod label, same namespace); 50051 open on the
//   gateway;
// - every referenced ConfigMap is rendered; every referenced Secret is rendered
//   (dev) or is one the operator creates as deploy/README.md says (base, prod);
//   the dev tokens file is well formed and its published tokens hash to it;
// - restore: the Job mounts the claim the StatefulSet creates, and restores
//   from and into the folders the service uses.
//
//   node check_manifests.js --profile base|dev|prod|restore [--base BASE.yaml]
//        [--readme deploy/README.md] RENDERED.yaml...
//   node check_manifests.js --mutate IN.yaml OUTDIR NAME...   (self-test aid:
//        writes OUTDIR/NAME.yaml, IN broken by each named mutation)
//
// Prints every problem found, one a line prefixed with its file's name, and a
// summary per file; exits 1 if there is any problem.
// The npm packages come from <repo>/.tools (tests/lib/install-deps.sh), or
// from PARLEY_TOOLS.
'use strict';


const fs = require('fs');
const path = require('path');
const { YAML, loadObjects, podSpecOf, validateSchemas } = require('./manifest_model');
const { Checker } = require('./manifest_rules');

// --- mutations, for the self-test: each breaks one rule ----------------------

function mutateObjects(objects, name) {
  const get = (kind, n) => {
    const o = objects.find((x) => x.kind === kind && x.metadata.name === n);
    if (!o) throw new Error(`mutate ${name}: no ${kind}/${n}`);
    return o;
  };
  const byPrefix = (kind, prefix) => objects.find((x) => x.kind === kind && x.metadata.name.startsWith(prefix));
  const container = (kind, n) => podSpecOf(get(kind, n)).containers[0];
  switch (name) {
    case 'no-liveness': delete container('Deployment', 'gateway').livenessProbe; break;
    case 'tcp-readiness':
      container('StatefulSet', 'exchanges').readinessProbe = { tcpSocket: { port: 50061 } };
      break;
    case 'probe-tls-port': container('Deployment', 'gateway').readinessProbe.grpc.port = 50051; break;
    case 'root-user': {
      const c = container('StatefulSet', 'incidents');
      c.securityContext.runAsUser = 0;
      break;
    }
    case 'writable-root': container('StatefulSet', 'negotiations').securityContext.readOnlyRootFilesystem = false; break;
    case 'keep-caps': container('Deployment', 'gateway').securityContext.capabilities = { drop: ['NET_RAW'] }; break;
    case 'no-limits': delete container('StatefulSet', 'negotiations').resources.limits; break;
    case 'latest-image': container('StatefulSet', 'exchanges').image = 'parley:latest'; break;
    case 'store-replicas': get('StatefulSet', 'exchanges').spec.replicas = 2; break;
    case 'no-claims': delete get('StatefulSet', 'incidents').spec.volumeClaimTemplates; break;
    case 'store-as-deployment': {
      const s = get('StatefulSet', 'exchanges');
      s.kind = 'Deployment';
      delete s.spec.volumeClaimTemplates;
      delete s.spec.serviceName;
      delete s.spec.updateStrategy;
      break;
    }
    case 'not-headless': delete get('Service', 'negotiations').spec.clusterIP; break;
    case 'no-pdb': objects.splice(objects.indexOf(get('PodDisruptionBudget', 'incidents')), 1); break;
    case 'no-default-deny': objects.splice(objects.indexOf(get('NetworkPolicy', 'default-deny-ingress')), 1); break;
    case 'np-any-pod': get('NetworkPolicy', 'exchanges-ingress').spec.ingress[0].from = [{ podSelector: {} }]; break;
    case 'np-namespace':
      get('NetworkPolicy', 'negotiations-ingress').spec.ingress[0].from.push({ namespaceSelector: {} });
      break;
    case 'np-all-ports': delete get('NetworkPolicy', 'incidents-ingress').spec.ingress[1].ports; break;
    case 'np-selects-gateway':
      get('NetworkPolicy', 'exchanges-ingress').spec.podSelector = { matchLabels: { 'app.kubernetes.io/part-of': 'parley' } };
      break;
    case 'gateway-one-replica': get('Deployment', 'gateway').spec.replicas = 1; break;
    case 'dev-not-plaintext': {
      const c = container('Deployment', 'gateway');
      c.env = c.env.filter((e) => e.name !== 'PARLEY_PLAINTEXT');
      break;
    }
    case 'prod-no-tls': {
      const c = container('Deployment', 'gateway');
      c.env = c.env.filter((e) => !e.name.startsWith('PARLEY_TLS_'));
      break;
    }
    case 'upstream-typo': byPrefix('ConfigMap', 'parley-gateway').data.PARLEY_EXCHANGES_ADDRESS = 'exchange:50061'; break;
    case 'no-configmap': objects.splice(objects.indexOf(byPrefix('ConfigMap', 'parley-domain')), 1); break;
    case 'listen-localhost':
      container('StatefulSet', 'incidents').env.find((e) => e.name === 'PARLEY_LISTEN').value = '127.0.0.1:50063';
      break;
    case 'bad-token-line': {
      const s = byPrefix('Secret', 'parley-auth');
      const text = Buffer.from(s.data.tokens, 'base64').toString('utf8') + 'deadbeef superuser someone\n';
      s.data.tokens = Buffer.from(text).toString('base64');
      break;
    }
    case 'unknown-kind': byPrefix('ConfigMap', 'parley-gateway').kind = 'ConfigMapp'; break;
    case 'schema-type': get('Deployment', 'gateway').spec.replicas = 'two'; break;
    default: throw new Error(`unknown mutation ${name}`);
  }
  return objects;
}

// --- main --------------------------------------------------------------------

// checkFile: prints FILE's problems, one a line, and a summary; true if none.
function checkFile(file, profile, opts) {
  const name = path.basename(file);
  const { objects, problems } = loadObjects(file);
  validateSchemas(objects, problems);
  if (!problems.length) problems.push(...new Checker(objects, profile, opts).run());
  if (problems.length) {
    for (const p of problems) console.log(`${name} (${profile}): ${p}`);
    console.log(`check_manifests: ${name} (${profile}): ${problems.length} problem(s)`);
    return false;
  }
  const kinds = {};
  for (const o of objects) kinds[o.kind] = (kinds[o.kind] || 0) + 1;
  console.log(`check_manifests: ${name} (${profile}): ${objects.length} objects valid against the schemas, rules hold (` +
    Object.entries(kinds).map(([k, n]) => `${n} ${k}`).join(', ') + ')');
  return true;
}

function main(argv) {
  const args = { profile: null, base: null, readme: null, files: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--profile') args.profile = argv[++i];
    else if (a === '--base') args.base = argv[++i];
    else if (a === '--readme') args.readme = argv[++i];
    else if (a === '--mutate') {
      // --mutate IN.yaml OUTDIR NAME...: OUTDIR/NAME.yaml for each mutation.
      const [input, outdir, ...names] = argv.slice(i + 1);
      for (const name of names) {
        const { objects } = loadObjects(input);
        const out = mutateObjects(objects, name).map((o) => YAML.stringify(o)).join('---\n');
        fs.writeFileSync(path.join(outdir, `${name}.yaml`), out);
      }
      return 0;
    } else args.files.push(a);
  }
  if (!['base', 'dev', 'prod', 'restore'].includes(args.profile) || !args.files.length) {
    console.error('usage: check_manifests.js --profile base|dev|prod|restore [--base BASE.yaml] [--readme README.md] RENDERED.yaml...');
    return 2;
  }
  const opts = { readme: args.readme };
  if (args.profile === 'restore') {
    if (!args.base) {
      console.error('check_manifests: --profile restore needs --base');
      return 2;
    }
    opts.baseObjects = loadObjects(args.base).objects;
  }
  let ok = true;
  for (const file of args.files) ok = checkFile(file, args.profile, opts) && ok;
  return ok ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
