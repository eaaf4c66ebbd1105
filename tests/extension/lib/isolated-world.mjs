// Runs code in the content script's isolated world of a page, over the DevTools protocol,
// so a test or benchmark can use the same chrome.runtime messaging the content script uses
// without the extension carrying any test hook. Call before navigating: the world is
// announced when the content script is injected.

export async function isolatedWorld(page, extensionId) {
  const cdp = await page.context().newCDPSession(page);
  const contexts = [];
  cdp.on('Runtime.executionContextCreated', ({ context }) => contexts.push(context));
  await cdp.send('Runtime.enable');
  const origin = `chrome-extension://${extensionId}`;
  return {
    // Waits for the world in the page's main frame, then evaluates `expression` there.
    async evaluate(expression) {
      const { frameTree } = await cdp.send('Page.getFrameTree');
      const deadline = Date.now() + 10000;
      let context;
      for (;;) {
        context = contexts.filter((c) => c.auxData?.type === 'isolated' && c.origin === origin &&
          c.auxData.frameId === frameTree.frame.id).pop();
        if (context) break;
        if (Date.now() > deadline) throw new Error(`no isolated world of ${extensionId} in the main frame`);
        await new Promise((r) => setTimeout(r, 50));
      }
      const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', {
        expression, contextId: context.id, awaitPromise: true, returnByValue: true,
      });
      if (exceptionDetails) throw new Error(exceptionDetails.exception?.description ?? exceptionDetails.text);
      return result.value;
    },
    detach: () => cdp.detach(),
  };
}
