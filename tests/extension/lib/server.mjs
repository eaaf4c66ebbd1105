// The fixture server on 127.0.0.1: editor pages (HTML shell + esbuild bundle), the fixture
// stylesheet, and extension/ itself under /ext/ so in-browser unit tests import the real
// modules. Only GET of known folders; everything else is 404.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { BUILD_DIR, EXTENSION_DIR, FIXTURES_DIR } from './paths.mjs';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json', '.png': 'image/png',
};

const ROOTS = { '/build/': BUILD_DIR, '/ext/': EXTENSION_DIR, '/static/': join(FIXTURES_DIR, 'static') };

function shell(name) {
  const css = existsSync(join(BUILD_DIR, `${name}.css`)) ? `<link rel="stylesheet" href="/build/${name}.css">` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${name} fixture</title>
<link rel="stylesheet" href="/static/fixture.css">${css}</head>
<body><main id="root"></main><script src="/build/${name}.js"></script></body></html>`;
}

function sendFile(res, root, rest) {
  const path = normalize(join(root, rest));
  if (!path.startsWith(root + sep) || !existsSync(path) || !statSync(path).isFile()) {
    res.writeHead(404).end('not found');
    return;
  }
  res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
  createReadStream(path).pipe(res);
}

export async function startServer() {
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const page = url.pathname.match(/^\/fixtures\/([a-z]+)\.html$/);
    if (page && existsSync(join(BUILD_DIR, `${page[1]}.js`))) {
      res.writeHead(200, { 'content-type': TYPES['.html'], 'cache-control': 'no-store' }).end(shell(page[1]));
      return;
    }
    if (url.pathname === '/blank.html') {
      res.writeHead(200, { 'content-type': TYPES['.html'] }).end('<!doctype html><title>blank</title><body></body>');
      return;
    }
    for (const [prefix, root] of Object.entries(ROOTS)) {
      if (url.pathname.startsWith(prefix)) return sendFile(res, root, decodeURIComponent(url.pathname.slice(prefix.length)));
    }
    res.writeHead(404).end('not found');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    url: (path) => `http://127.0.0.1:${port}${path}`,
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(resolve); }),
  };
}
