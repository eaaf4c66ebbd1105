// Builds the fixture pages' scripts with esbuild. A bundler is needed here, and only here:
// Draft.js and React ship CommonJS for Node-style resolution and Quill and Lexical ship bare
// module imports, none of which a browser loads from a plain <script>. The extension itself
// has no build step; these bundles are test pages standing in for the social sites.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { BUILD_DIR, FIXTURES_DIR } from './paths.mjs';

export const FIXTURE_NAMES = ['textarea', 'shadow', 'iframe', 'draft', 'lexical', 'prosemirror', 'quill', 'comments', 'nativedialog', 'focustrap'];

export async function buildFixtures() {
  const sourceDir = join(FIXTURES_DIR, 'src');
  const entryPoints = readdirSync(sourceDir)
    .filter((name) => /\.(js|jsx)$/.test(name) && !name.startsWith('_'))
    .map((name) => join(sourceDir, name));
  await build({
    entryPoints,
    bundle: true,
    outdir: BUILD_DIR,
    format: 'iife',
    jsx: 'automatic',
    target: 'chrome120',
    loader: { '.css': 'css' },
    define: { 'process.env.NODE_ENV': '"production"', global: 'window' },
    logLevel: 'error',
  });
  return BUILD_DIR;
}
