// Does plain Enter (no Shift) post from this composer? Comment and chat boxes on several
// sites send on Enter and take Shift+Enter as a new line, so the guard must hold that Enter
// just as it holds a click on Post. Enter is a new line in a post composer, so it is
// guarded only where something says it sends: a single-line field, the page's own hint
// (enterkeyhint="send", aria-multiline="false"), or the site table below.

// Composers that send on Enter although they say nothing about it, per site
// (docs/browser-testing.md "Editors on the real sites").
export const ENTER_SENDS_SITES = Object.freeze([
  // Facebook's and Instagram's comment and reply boxes (Lexical or a textarea).
  {
    hosts: ['facebook.com', 'instagram.com', 'threads.net', 'threads.com'],
    selector: [
      '[aria-label^="Write a comment" i]', '[aria-label^="Write a reply" i]',
      '[aria-label^="Write a public comment" i]', '[aria-label^="Comment as" i]',
      '[aria-label^="Reply to" i]', '[aria-label^="Add a comment" i]',
      '[aria-placeholder^="Write a comment" i]', '[aria-placeholder^="Write a reply" i]',
      '[placeholder^="Add a comment" i]',
    ].join(', '),
  },
  // LinkedIn messaging sends on Enter unless the user turned that off.
  { hosts: ['linkedin.com'], selector: '.msg-form__contenteditable' },
  // Messenger.
  { hosts: ['messenger.com'], selector: '[role="textbox"][contenteditable="true"]' },
]);

function onHost(hostname, hosts) {
  const host = hostname.toLowerCase().replace(/^www\./, '');
  return hosts.some((known) => host === known || host.endsWith(`.${known}`));
}

// element: the composer's element (composers.js). hostname: the page's.
export function enterSends(element, hostname = element.ownerDocument?.location?.hostname ?? '') {
  if (element.nodeName === 'INPUT') return true;
  if ((element.getAttribute('enterkeyhint') ?? '').toLowerCase() === 'send') return true;
  if (element.getAttribute('aria-multiline') === 'false') return true;
  return ENTER_SENDS_SITES.some((site) => onHost(hostname, site.hosts) && element.matches(site.selector));
}
