// Is this click a "post"? Known selectors per site first, then what a button says. A button
// only counts when a composer with text belongs to it (submit-guard.js checks that), so a
// "Reply" button that merely opens a reply box is left alone.

const SITE_SELECTORS = [
  '[data-testid="tweetButton"]', '[data-testid="tweetButtonInline"]', // X
  '[data-testid="composerPublishBtn"]', // Bluesky
  '.share-actions__primary-action', '.comments-comment-box__submit-button', // LinkedIn
  '#submit-button', // YouTube comments
  '[data-e2e="comment-post"]', // TikTok
  '.compose-form__publish button', // Mastodon
];

const POST_WORDS = /^(post|tweet|reply|send|share|publish|comment|submit|toot|respond|save reply|post reply|post comment|add comment)\b/i;

export const BUTTON_SELECTOR = 'button, [role="button"], input[type="submit"], input[type="button"]';

function label(element) {
  const text = element.getAttribute('aria-label') || element.value || element.textContent || '';
  return text.replace(/\s+/g, ' ').trim();
}

export function isPostButton(element) {
  if (SITE_SELECTORS.some((selector) => element.matches(selector))) return true;
  if (element.matches('button[type="submit"], input[type="submit"]') ||
    (element.nodeName === 'BUTTON' && !element.hasAttribute('type') && element.form)) return true;
  const text = label(element);
  return text.length > 0 && text.length <= 40 && POST_WORDS.test(text);
}

// The post button an event's path goes through, or null.
export function postButtonFromEvent(event) {
  const path = event.composedPath();
  // Our own dialog's "Post anyway" is not the site's post button, nor is anything of ours in
  // a site's modal dialog (ui-root.js).
  if (path.some((node) => node.localName === 'phiguard-ui' || node.localName === 'phiguard-ui-modal')) return null;
  for (const node of path) {
    if (node.nodeType !== 1) continue;
    if (node.nodeName === 'BODY' || node.nodeName === 'HTML') break;
    if (node.matches(BUTTON_SELECTOR)) {
      if (node.disabled || node.getAttribute('aria-disabled') === 'true') return null;
      return isPostButton(node) ? node : null;
    }
  }
  return null;
}
