// Trunk post_build hook: moves the inline module script Trunk injects to load the wasm into a
// file of its own (boot-HASH.js), so the page's Content-Security-Policy can say
// `script-src 'self'` with no inline script allowed (trunk-rs/trunk#288 asks for this upstream).
// Also allows, by its sha256, the one inline <style> the page has: the allow graph's stylesheet
// (web/src/graph/graph.css, which the graph component puts in a <style> element as is).
// Also minifies wasm-bindgen's JS glue with terser (from e2e/node_modules, installed by xtask):
// Trunk 0.21's `minify` leaves it alone; 56 KB -> 26 KB raw, 9.6 -> 7.4 KB gzip. Its modulepreload
// `integrity` is recomputed to match.
// Also shortens the wasm's import and export names (`--minify-imports-and-exports-and-modules`
// of the npm wasm-opt, with one more `-Oz` round) and renames them to match in the glue:
// wasm-bindgen names each of the ~200 imports `__wbg_<method>_<16 hex digits>` and some exports
// after whole Rust paths, ~8.5 KB raw of names that gzip can barely compress, in both files.
// Measured at e14d2a3: wasm 490.2 -> 486.4 KB gzip, glue 7.2 -> 5.9 KB.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error('TRUNK_STAGING_DIR is not set: run me as a Trunk hook');
const file = path.join(dir, 'index.html');
let html = fs.readFileSync(file, 'utf8');

const sri = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
const require = createRequire(new URL('../e2e/package.json', import.meta.url));
let terser;
try {
  terser = require('terser');
} catch (e) {
  throw new Error(`terser is missing from e2e/node_modules (run \`npm ci\` in e2e/ or \`cargo xtask dist\`): ${e.message}`);
}
const glue = fs.readdirSync(dir).filter((f) => /\.js$/.test(f) && !f.startsWith('boot-'));
if (glue.length !== 1) throw new Error(`expected one wasm-bindgen JS file, found ${glue.join(', ') || 'none'}`);
const gluePath = path.join(dir, glue[0]);
const before = fs.readFileSync(gluePath, 'utf8');
const min = await terser.minify(before, { module: true, ecma: 2020, compress: true, mangle: true, format: { comments: false } });
if (!min.code) throw new Error(`terser returned no code for ${glue[0]}`);
const glueCode = minifyWasmNames(min.code);
fs.writeFileSync(gluePath, glueCode);
const preload = `href="/${glue[0]}" crossorigin="anonymous" integrity="${sri(before)}"`;
if (!html.includes(preload)) throw new Error(`no modulepreload of ${glue[0]} with its integrity in index.html`);
html = html.replace(preload, `href="/${glue[0]}" crossorigin="anonymous" integrity="${sri(glueCode)}"`);
const re = /<script type="module">([\s\S]*?)<\/script>/g;
const inline = [...html.matchAll(re)];
if (inline.length !== 1) throw new Error(`expected one inline module script, found ${inline.length}`);
const code = inline[0][1];
const hash = createHash('sha384').update(code).digest();
const name = `boot-${hash.toString('hex').slice(0, 16)}.js`;
fs.writeFileSync(path.join(dir, name), code);
const tag = `<script type="module" src="/${name}" integrity="sha384-${hash.toString('base64')}"></script>`;
const graphCss = fs.readFileSync(new URL('./src/graph/graph.css', import.meta.url));
const cssHash = createHash('sha256').update(graphCss).digest('base64');
const withStyle = html.replace("style-src 'self'", `style-src 'self' 'sha256-${cssHash}'`);
if (withStyle === html) throw new Error("no style-src 'self' in the CSP of index.html");
fs.writeFileSync(file, withStyle.replace(inline[0][0], tag));
if (/<script(?![^>]*\ssrc=)[^>]*>/.test(fs.readFileSync(file, 'utf8'))) throw new Error('an inline script is left');

/**
 * Shortens the import and export names of the page's wasm in place, and returns `code` (the
 * minified glue) with the same names renamed. The glue's shapes, as terser writes them: the
 * imports object `{"./NAME_bg.js":{__wbg_x_0123456789abcdef:function(…){…},…}}`, and exports read
 * as `wasm.name`. Every import must be found (a missing one would fail instantiation), so a
 * change of shape in a future wasm-bindgen fails the build here instead of breaking the page.
 */
function minifyWasmNames(code) {
  const wasmFiles = fs.readdirSync(dir).filter((f) => f.endsWith('_bg.wasm'));
  if (wasmFiles.length !== 1) throw new Error(`expected one _bg.wasm, found ${wasmFiles.join(', ') || 'none'}`);
  const wasmPath = path.join(dir, wasmFiles[0]);
  const before = fs.readFileSync(wasmPath);
  // The npm binaryen that Trunk ran (never Debian's 108: see Trunk.toml), with the features
  // rustc's wasm32-unknown-unknown target enables.
  const wasmOpt = fileURLToPath(new URL('../e2e/node_modules/.bin/wasm-opt', import.meta.url));
  // The same level and params as Trunk's own round, read from index.html's data-trunk link.
  const link = fs.readFileSync(new URL('../index.html', import.meta.url), 'utf8');
  const level = link.match(/data-wasm-opt="([^"]*)"/)?.[1];
  const params = link.match(/data-wasm-opt-params="([^"]*)"/)?.[1];
  if (!level || params === undefined) throw new Error('index.html has no data-wasm-opt / data-wasm-opt-params');
  const args = [wasmPath, '-o', wasmPath, `-O${level}`, ...params.split(/\s+/).filter(Boolean), '--minify-imports-and-exports-and-modules',
    '--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext', '--enable-mutable-globals',
    '--enable-reference-types', '--enable-multivalue'];
  const printed = execFileSync(wasmOpt, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  const map = JSON.parse(printed.slice(printed.indexOf('{'), printed.lastIndexOf('}') + 1));
  const escape = (name) => name.replace(/[$.*+?^{}()|[\]\\]/g, '\\$&');
  const modules = new Set(map.imports.map(([module]) => module));
  if (modules.size !== 1) throw new Error(`expected one import module, found ${[...modules].join(', ')}`);
  const [module] = modules;
  const moduleKey = `"${module}":`;
  if (!code.includes(moduleKey)) throw new Error(`no ${moduleKey} imports object in the glue`);
  // One module: wasm-opt names it "a".
  code = code.replace(moduleKey, () => 'a:');
  for (const [, from, to] of map.imports) {
    const key = new RegExp(`(?<![\\w$."'])${escape(from)}(?=:)`, 'g');
    let found = 0;
    code = code.replace(key, () => (found++, to));
    if (found !== 1) throw new Error(`import ${from} found ${found} times as a key in the glue`);
  }
  for (const [from, to] of map.exports) {
    code = code.replace(new RegExp(`(?<=\\.)${escape(from)}(?![\\w$])`, 'g'), () => to);
  }
  const wasmIntegrity = `integrity="${sri(before)}"`;
  if (!html.includes(wasmIntegrity)) throw new Error(`no preload of ${wasmFiles[0]} with its integrity in index.html`);
  html = html.replace(wasmIntegrity, () => `integrity="${sri(fs.readFileSync(wasmPath))}"`);
  return code;
}
