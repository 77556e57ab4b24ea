// Loading rendered manifests and checking them against the Kubernetes
// schemas offline (npm kubernetes-models), and small helpers over the
// objects; used by manifest_rules.js and check_manifests.js.
'use strict';

const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { createRequire } = require('module');

const repo = path.resolve(__dirname, '..', '..');
const tools = process.env.PARLEY_TOOLS || path.join(repo, '.tools');
const toolsRequire = createRequire(path.join(tools, 'package.json'));

function loadTool(name) {
  try {
    return toolsRequire(name);
  } catch (e) {
    console.error(
      `check_manifests: npm package '${name}' not found under ${tools}` +
        ' (run tests/lib/install-deps.sh, or set PARLEY_TOOLS)');
    process.exit(2);
  }
}
const YAML = loadTool('yaml');
try {
  toolsRequire.resolve('kubernetes-models/v1');
} catch (e) {
  loadTool('kubernetes-models');
}


// --- helpers -----------------------------------------------------------------

function ref(obj) {
  return `${obj.kind}/${obj.metadata && obj.metadata.name}`;
}

function selectorMatches(selector, labels) {
  if (!selector) return false;
  labels = labels || {};
  for (const [k, v] of Object.entries(selector.matchLabels || {})) {
    if (labels[k] !== v) return false;
  }
  for (const e of selector.matchExpressions || []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const values = e.values || [];
    switch (e.operator) {
      case 'In': if (!has || !values.includes(labels[e.key])) return false; break;
      case 'NotIn': if (has && values.includes(labels[e.key])) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}

function isEmptySelector(selector) {
  return !!selector && Object.keys(selector.matchLabels || {}).length === 0 &&
    (selector.matchExpressions || []).length === 0;
}

function podSpecOf(obj) {
  return obj.spec && obj.spec.template && obj.spec.template.spec;
}

function podLabelsOf(obj) {
  const t = obj.spec && obj.spec.template;
  return (t && t.metadata && t.metadata.labels) || {};
}

function listenPort(value) {
  const m = /^(.*):(\d+)$/.exec(value || '');
  return m ? { host: m[1], port: Number(m[2]) } : null;
}

function imageName(image) {
  // registry:5000/parley:0.1 -> registry:5000/parley
  const at = image.indexOf('@');
  if (at >= 0) return image.slice(0, at);
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  return colon > slash ? image.slice(0, colon) : image;
}

function imageTag(image) {
  if (image.includes('@')) return 'digest';
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  return colon > slash ? image.slice(colon + 1) : '';
}

// --- loading and schema validation ------------------------------------------

function loadObjects(file) {
  const text = fs.readFileSync(file, 'utf8');
  const docs = YAML.parseAllDocuments(text);
  const objects = [];
  const problems = [];
  docs.forEach((doc, i) => {
    if (doc.errors.length) {
      problems.push(`document ${i + 1}: YAML error: ${doc.errors[0].message}`);
      return;
    }
    const obj = doc.toJS();
    if (obj == null) return;
    // kustomize v5 folds long base64 Secret data over several lines; the API
    // server's decoder skips the newlines, the schema's "byte" format does
    // not: join them before validating.
    if (obj.kind === 'Secret' && obj.data && typeof obj.data === 'object') {
      for (const [k, v] of Object.entries(obj.data)) {
        if (typeof v === 'string') obj.data[k] = v.replace(/[\r\n]/g, '');
      }
    }
    objects.push(obj);
  });
  return { objects, problems };
}

function modelClass(apiVersion, kind) {
  let mod;
  try {
    mod = toolsRequire(`kubernetes-models/${apiVersion}`);
  } catch (e) {
    return null;
  }
  return Object.prototype.hasOwnProperty.call(mod, kind) ? mod[kind] : null;
}

function validateSchemas(objects, problems) {
  for (const obj of objects) {
    if (!obj || typeof obj !== 'object' || !obj.apiVersion || !obj.kind) {
      problems.push(`an object without apiVersion and kind: ${JSON.stringify(obj).slice(0, 80)}`);
      continue;
    }
    if (!obj.metadata || !obj.metadata.name) {
      problems.push(`${obj.kind} without metadata.name`);
      continue;
    }
    const Cls = modelClass(obj.apiVersion, obj.kind);
    if (!Cls) {
      problems.push(`${ref(obj)}: unknown kind ${obj.apiVersion}/${obj.kind} (no Kubernetes schema for it)`);
      continue;
    }
    try {
      new Cls(obj).validate();
    } catch (e) {
      const errors = e.errors || [{ instancePath: '', message: e.message }];
      for (const err of errors) {
        const extra = err.params && err.params.missingProperty
          ? ` (${err.params.missingProperty})`
          : err.params && err.params.allowedValues
            ? ` (${err.params.allowedValues.join(', ')})` : '';
        problems.push(`${ref(obj)}: schema: ${err.instancePath || '/'} ${err.message}${extra}`);
      }
    }
  }
}


module.exports = { YAML, imageName, imageTag, isEmptySelector, listenPort, loadObjects, modelClass, podLabelsOf, podSpecOf, ref, selectorMatches, validateSchemas };
