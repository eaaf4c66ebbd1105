// The site name and surface sent with every scan.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  addedHosts, describeSite, extraSitePatterns, patternsForHost,
} from '../../../extension/src/shared/sites.js';

const rows = [
  ['x.com', 'x.com', 'compose'],
  ['mobile.twitter.com', 'twitter.com', 'compose'],
  ['www.facebook.com', 'facebook.com', 'compose'],
  ['m.facebook.com', 'facebook.com', 'compose'],
  ['www.threads.net', 'threads.net', 'compose'],
  ['bsky.app', 'bsky.app', 'compose'],
  ['business.google.com', 'business.google.com', 'review_reply'],
  ['biz.yelp.com', 'biz.yelp.com', 'review_reply'],
  ['www.yelp.com', 'yelp.com', 'compose'],
  ['mastodon.social', 'mastodon.social', 'compose'],
  ['notx.com', 'notx.com', 'compose'],
];
for (const [hostname, site, surface] of rows) {
  test(`${hostname} -> ${site} (${surface})`, () => assert.deepEqual(describeSite(hostname), { site, surface }));
}

test('patterns', () => {
  assert.deepEqual(patternsForHost('x.com'), ['https://*.x.com/*']);
  assert.deepEqual(patternsForHost('biz.yelp.com', { exact: true }), ['https://biz.yelp.com/*']);
  assert.deepEqual(extraSitePatterns(['mastodon.social', '*.example.org', 'localhost:8080']), [
    'https://mastodon.social/*', 'http://mastodon.social/*',
    'https://*.example.org/*', 'http://*.example.org/*',
    'https://localhost/*', 'http://localhost/*',
  ]);
});

test('addedHosts names what a build covers beyond the built-in sites, for the host\'s audit check', () => {
  assert.deepEqual(addedHosts([
    'https://*.x.com/*', 'https://business.google.com/*', 'http://127.0.0.1/*',
    'https://*.forum.example.org/*', 'http://localhost:8080/*', '<all_urls>',
  ]), ['127.0.0.1', '*.forum.example.org', 'localhost']);
});
