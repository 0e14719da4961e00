// Trunk post_build hook: moves the inline module script Trunk injects to load the wasm into a
// file of its own (boot-HASH.js), so the page's Content-Security-Policy can say
// `script-src 'self'` with no inline script allowed (trunk-rs/trunk#288 asks for this upstream).
// Also allows, by its sha256, the one inline <style> the page has: the allow graph's stylesheet
// (web/src/graph/graph.css, which the graph component puts in a <style> element as is).
// Also minifies wasm-bindgen's JS glue with terser (from e2e/node_modules, installed by xtask):
// Trunk 0.21's `minify` leaves it alone; 56 KB -> 26 KB raw, 9.6 -> 7.4 KB gzip. Its modulepreload
// `integrity` is recomputed to match.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

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
fs.writeFileSync(gluePath, min.code);
const preload = `href="/${glue[0]}" crossorigin="anonymous" integrity="${sri(before)}"`;
if (!html.includes(preload)) throw new Error(`no modulepreload of ${glue[0]} with its integrity in index.html`);
html = html.replace(preload, `href="/${glue[0]}" crossorigin="anonymous" integrity="${sri(min.code)}"`);
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
