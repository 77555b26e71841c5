// Writes DIR/**/*.{wasm,js,css,html,json,svg,txt}.br and .gz beside each
// file (brotli quality 11, window 22; gzip level 9), at build time, so the
// server serves them as they are and writes nothing into its static
// directory at start (issue 17: replicas share a read-only build).
//   node scripts/precompress.mjs dist
import { readdirSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { join, extname } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const COMPRESSIBLE = new Set(['.wasm', '.js', '.css', '.html', '.json', '.svg', '.txt']);
const root = process.argv[2];
if (!root) {
  console.error('usage: node scripts/precompress.mjs DIR');
  process.exit(2);
}

let written = 0;
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = statSync(path);
    if (st.isDirectory()) { walk(path); continue; }
    if (!COMPRESSIBLE.has(extname(name))) continue;
    const data = readFileSync(path);
    writeFileSync(`${path}.br`, brotliCompressSync(data, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_LGWIN]: 22,
        [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      },
    }));
    writeFileSync(`${path}.gz`, gzipSync(data, { level: 9 }));
    written += 2;
  }
};
walk(root);
console.log(`precompress: ${written} files written under ${root}`);
