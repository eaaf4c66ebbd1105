#!/usr/bin/env node
// The JavaScript engines of the comparison (tests/bench/compare.py runs this):
// - regexp: the packs' patterns as V8 RegExp objects, every match of every pattern on every
//   post: what an extension without a native host would run in the page;
// - redact-pii: the npm library a JavaScript developer would pick (SyncRedactor, its
//   built-in pattern set; it finds and replaces, so it does somewhat more work per match).
// Prints one JSON line: { engine, posts, bytes, seconds, matches, patterns, skipped }.
//
//   node js_engines.mjs regexp PATTERNS.json POSTS.jsonl
//   node js_engines.mjs redact-pii POSTS.jsonl
import { readFileSync } from 'node:fs';

const [engine, ...files] = process.argv.slice(2);
const readPosts = (path) => readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l).text);

function best(run, repeats = 3) {
  let seconds = Infinity;
  let result;
  for (let i = 0; i < repeats; i += 1) {
    const start = process.hrtime.bigint();
    result = run();
    seconds = Math.min(seconds, Number(process.hrtime.bigint() - start) / 1e9);
  }
  return { seconds, result };
}

if (engine === 'regexp') {
  const [patternsPath, postsPath] = files;
  const patterns = JSON.parse(readFileSync(patternsPath, 'utf8'));
  const posts = readPosts(postsPath);
  const regexps = [];
  let skipped = 0;
  for (const { pattern, caseless } of patterns) {
    try {
      regexps.push(new RegExp(pattern, caseless ? 'gi' : 'g'));
    } catch {
      skipped += 1; // a construct V8 does not take (inline flag groups before V8 12.5)
    }
  }
  const { seconds, result: matches } = best(() => {
    let count = 0;
    for (const text of posts) {
      for (const re of regexps) {
        re.lastIndex = 0;
        for (let m = re.exec(text); m; m = re.exec(text)) {
          count += 1;
          if (m[0].length === 0) re.lastIndex += 1;
        }
      }
    }
    return count;
  });
  const bytes = posts.reduce((n, t) => n + Buffer.byteLength(t), 0);
  console.log(JSON.stringify({ engine, posts: posts.length, bytes, seconds, matches, patterns: regexps.length, skipped }));
} else if (engine === 'redact-pii') {
  const { SyncRedactor } = await import('redact-pii');
  const posts = readPosts(files[0]);
  const redactor = new SyncRedactor();
  const { seconds, result: changed } = best(() => {
    let count = 0;
    for (const text of posts) if (redactor.redact(text) !== text) count += 1;
    return count;
  });
  const bytes = posts.reduce((n, t) => n + Buffer.byteLength(t), 0);
  console.log(JSON.stringify({ engine, posts: posts.length, bytes, seconds, matches: changed, patterns: null, skipped: 0 }));
} else {
  console.error('usage: js_engines.mjs regexp PATTERNS.json POSTS.jsonl | redact-pii POSTS.jsonl');
  process.exit(2);
}
