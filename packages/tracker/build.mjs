// Builds the tracker from src/ twice: dist/script.js (minified IIFE for the <script> tag) and
// dist/index.js + .d.ts (the ESM npm package). Run with `node build.mjs`; tests import the options.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');

/** The <script> build; browsers from 2018 on (sendBeacon, URL, Object spread). */
export const scriptBuild = {
  entryPoints: [join(here, 'src/script.ts')],
  bundle: true,
  format: 'iife',
  minify: true,
  target: 'es2018',
  legalComments: 'none',
};

/** The npm package build: readable ESM, minified by the site's own bundler. */
export const packageBuild = {
  entryPoints: [join(here, 'src/index.ts')],
  bundle: true,
  format: 'esm',
  target: 'es2020',
};

/** The minified script as text, built in memory (tests use this so they never read a stale dist/). */
export async function bundleScript() {
  const result = await esbuild.build({ ...scriptBuild, write: false, outfile: 'script.js' });
  return result.outputFiles[0].text;
}

async function main() {
  rmSync(dist, { recursive: true, force: true });
  await esbuild.build({ ...scriptBuild, outfile: join(dist, 'script.js') });
  await esbuild.build({ ...packageBuild, outfile: join(dist, 'index.js') });
  // The server applies a site's excluded paths with the very same glob rules as data-exclude.
  await esbuild.build({ ...packageBuild, entryPoints: [join(here, 'src/glob.ts')], outfile: join(dist, 'glob.js') });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  // --force: dist/ was just emptied, but tsconfig.tsbuildinfo (kept outside it) would say all is up to date.
  const types = spawnSync(process.execPath, [tsc, '-b', here, '--force'], { stdio: 'inherit' });
  if (types.status !== 0) throw new Error('tsc failed: see the errors above');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
