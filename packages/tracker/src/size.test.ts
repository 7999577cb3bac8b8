// Budget: the script every visitor downloads stays small. The npm build must expose the documented API.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { expect, it } from 'vitest';
import { bundleScript, packageBuild } from '../build.mjs';

const MAX_GZIP_BYTES = 4096;

it(`script.js stays under ${MAX_GZIP_BYTES} bytes gzipped`, async () => {
  const script = await bundleScript();
  const gzipped = gzipSync(script, { level: 9 }).length;
  console.log(`script.js: ${script.length} bytes, ${gzipped} bytes gzipped`);
  expect(gzipped).toBeLessThanOrEqual(MAX_GZIP_BYTES);
});

it('the ESM package exports init, track, pageview, identify and reset', async () => {
  const result = await esbuild.build({ ...packageBuild, write: false, outfile: 'index.js' });
  const folder = mkdtempSync(join(tmpdir(), 'eesee-js-'));
  try {
    const file = join(folder, 'index.mjs');
    writeFileSync(file, result.outputFiles![0]!.text);
    const api = await import(pathToFileURL(file).href);
    expect(Object.keys(api).sort()).toEqual(['identify', 'init', 'pageview', 'reset', 'track']);
    api.init({ siteId: 1 }); // outside a browser: does nothing, throws nothing
    api.track('ignored');
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
