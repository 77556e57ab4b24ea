#!/usr/bin/env node
// Renders a Vega-Lite specification to SVG with the Vega libraries (vega-lite
// compiles it, vega lays out axes, legends and titles and writes the SVG),
// after checking it against vega-lite's own JSON schema. parleyctl runs it
// for `chart --format=svg|png`.
//
//   node vega_render.js [--check] [SPEC.json]   (no file: read standard input)
//
// Writes the SVG to standard output; --check only validates. Exits 1 with
// the schema's complaints, or the compiler's, on standard error.
//
// Modules come from PARLEY_NODE_MODULES, else <repo>/.tools/node_modules
// (tests/lib/install-deps.sh puts vega@5, vega-lite@5, ajv@8 and ajv-formats@3
// there), else
// node's own resolution. No canvas: text is measured by vega's estimate, so
// nothing native is needed.
'use strict';

const fs = require('fs');
const path = require('path');

function load(name) {
  const dirs = [process.env.PARLEY_NODE_MODULES,
                path.join(__dirname, '..', '..', '.tools', 'node_modules')];
  for (const dir of dirs) {
    if (!dir) continue;
    try {
      return require(path.join(dir, name));
    } catch (e) {
      if (e.code !== 'MODULE_NOT_FOUND') throw e;
    }
  }
  return require(name);
}

function fail(message) {
  process.stderr.write(`vega_render: ${message}\n`);
  process.exit(1);
}

async function main() {
  const args = process.argv.slice(2);
  const checkOnly = args.includes('--check');
  const file = args.find((a) => a !== '--check');
  let spec;
  try {
    spec = JSON.parse(fs.readFileSync(file && file !== '-' ? file : 0, 'utf8'));
  } catch (e) {
    fail(`cannot read the specification: ${e.message}`);
  }
  const Ajv = load('ajv').default;
  const ajv = new Ajv({strict: false, allowUnionTypes: true});
  load('ajv-formats').default(ajv);
  // vega-lite's own format for "#rrggbb" colours, which ajv-formats lacks.
  ajv.addFormat('color-hex', /^#([0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i);
  const validate = ajv.compile(load('vega-lite/build/vega-lite-schema.json'));
  if (!validate(spec)) {
    fail('the specification does not follow the Vega-Lite schema:\n' +
         validate.errors.slice(0, 10)
             .map((e) => `  ${e.instancePath || '/'} ${e.message}`)
             .join('\n'));
  }
  if (checkOnly) return;
  const vl = load('vega-lite');
  const vega = load('vega');
  let view;
  try {
    view = new vega.View(vega.parse(vl.compile(spec).spec), {renderer: 'none'});
  } catch (e) {
    fail(`cannot compile the specification: ${e.message}`);
  }
  process.stdout.write(await view.toSVG());
  view.finalize();
}

main().catch((e) => fail(e.message));
