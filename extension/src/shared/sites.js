// The social sites PHI Guard covers out of the box. manifest.json's content_scripts and
// host_permissions list the same patterns (tests/extension/unit/manifest.test.mjs keeps them
// in step); organisations add more (Mastodon instances, forums) with the extraSites policy.

export const BUILT_IN_SITES = Object.freeze([
  { id: 'x', hosts: ['x.com', 'twitter.com'] },
  { id: 'facebook', hosts: ['facebook.com'] },
  { id: 'instagram', hosts: ['instagram.com'] },
  { id: 'threads', hosts: ['threads.net', 'threads.com'] },
  { id: 'linkedin', hosts: ['linkedin.com'] },
  { id: 'reddit', hosts: ['reddit.com'] },
  { id: 'bluesky', hosts: ['bsky.app'] },
  { id: 'youtube', hosts: ['youtube.com'] },
  { id: 'tiktok', hosts: ['tiktok.com'] },
  // Replies to patients' reviews: a review reply that confirms someone was a patient is a
  // disclosure, so these surfaces are scanned as review replies.
  { id: 'google-business', hosts: ['business.google.com'], surface: 'review_reply', exact: true },
  { id: 'yelp-business', hosts: ['biz.yelp.com'], surface: 'review_reply', exact: true },
]);

// Match patterns for one host name: the host and its subdomains ("*.host" matches the host
// itself too), or the host alone when `exact`. A port is dropped: patterns match every port.
export function patternsForHost(host, { exact = false, schemes = ['https'] } = {}) {
  const bare = host.replace(/^\*\./, '').replace(/:\d+$/, '');
  return schemes.map((scheme) => `${scheme}://${exact ? '' : '*.'}${bare}/*`);
}

export function builtInPatterns() {
  return BUILT_IN_SITES.flatMap((site) => site.hosts.flatMap(
    (host) => patternsForHost(host, { exact: site.exact })));
}

// Patterns for hosts added by policy. Both schemes: an intranet forum may still be http.
export function extraSitePatterns(hosts) {
  return hosts.flatMap((host) => patternsForHost(host, {
    exact: !host.startsWith('*.'), schemes: ['https', 'http'],
  }));
}

// The host names of match patterns ("https://*.example.org/*" -> "*.example.org") that are
// not built-in sites: what a build of the extension covers beyond the built-in list.
export function addedHosts(patterns) {
  const builtIn = new Set(BUILT_IN_SITES.flatMap((site) => site.hosts));
  const hosts = patterns
    .map((pattern) => /^[a-z*]+:\/\/([^/]+)\//.exec(pattern)?.[1])
    .filter((host) => host && host !== '*')
    .map((host) => host.replace(/:\d+$/, '').toLowerCase());
  return [...new Set(hosts)].filter((host) => !builtIn.has(host.replace(/^\*\./, '')));
}

// { site, surface } for a page's host name: the name sent to the host with every scan.
export function describeSite(hostname) {
  const host = hostname.toLowerCase().replace(/^www\./, '');
  for (const site of BUILT_IN_SITES) {
    for (const known of site.hosts) {
      if (host === known || (!site.exact && host.endsWith(`.${known}`))) {
        return { site: known, surface: site.surface ?? 'compose' };
      }
    }
  }
  return { site: host, surface: 'compose' };
}
