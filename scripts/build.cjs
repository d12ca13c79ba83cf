// Compiles the CLI and its library (cli/, src/) to CommonJS JavaScript in dist/, one file per TypeScript file.
// Run by `npm run build` and by npm's `prepare` (so `npm install` / `npm ci` build it): plain JavaScript on purpose,
// because a production install (`npm ci --omit=dev`) has esbuild (a dependency) but neither tsx nor TypeScript.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'dist');
const SOURCES = ['cli', 'src'];

/** Every file below `dir` (relative to ROOT), skipping dot-files. */
function filesUnder(dir) {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    if (entry.name.startsWith('.')) return [];
    const relative = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(relative) : [relative];
  });
}

/** Builds dist/; returns the number of compiled and copied files. */
async function build() {
  const files = SOURCES.flatMap(filesUnder);
  const typescript = files.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'));
  // Files the code reads beside itself at run time (page assets, JSON-LD documents, the worker entry) travel along.
  const assets = files.filter((file) => !file.endsWith('.ts'));
  // Built in a fresh folder beside dist/ and swapped in at the end: a deleted source file does not live on as a stale
  // .js, and a command started meanwhile (a test run, `npm start`) finds the old build or the new one, never half.
  const next = `${OUT}.next-${process.pid}`;
  fs.rmSync(next, { recursive: true, force: true });
  try {
    // No bundling: each module stays a file, so a command's `import()` loads only that command's dependencies, and
    // `__dirname` keeps pointing at the module's own folder (dist/src/... mirrors src/...).
    await esbuild.build({
      entryPoints: typescript.map((file) => path.join(ROOT, file)),
      outdir: next,
      outbase: ROOT,
      bundle: false,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      // import() of a module becomes a require() when it runs: still lazy, and one module system (CommonJS) throughout.
      supported: { 'dynamic-import': false },
      sourcemap: 'linked',
      logLevel: 'warning',
    });
    for (const file of assets) {
      fs.mkdirSync(path.dirname(path.join(next, file)), { recursive: true });
      fs.copyFileSync(path.join(ROOT, file), path.join(next, file));
    }
    const old = `${OUT}.old-${process.pid}`;
    if (fs.existsSync(OUT)) fs.renameSync(OUT, old);
    fs.renameSync(next, OUT);
    fs.rmSync(old, { recursive: true, force: true });
  } finally {
    fs.rmSync(next, { recursive: true, force: true });
  }
  return { compiled: typescript.length, copied: assets.length };
}

build().then(
  ({ compiled, copied }) => {
    if (!process.argv.includes('--quiet')) console.log(`microcred: built dist/ (${compiled} modules compiled, ${copied} files copied)`);
  },
  (error) => {
    console.error(`microcred: the build failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
