// Injected before any page script: timestamps every websocket message on the page clock
// (performance.now()), keeps its bytes for decoding, and notes when two animation frames have
// passed after it. Every change to the page's DOM is timestamped the same way: charts draw after
// the last message, so a rerun is painted only once the DOM has stopped changing. Key presses and
// clicks are timestamped too (event.timeStamp, the same clock).
(() => {
  const log = (window.__bench = { messages: [], changes: [], keys: [], clicks: [] });
  const afterTwoFrames = (entry) =>
    requestAnimationFrame(() => requestAnimationFrame(() => { entry.frame2 = performance.now(); }));
  const Native = window.WebSocket;
  class ProbedWebSocket extends Native {
    constructor(...args) {
      super(...args);
      // Registered in the constructor, so it runs before the app's own message handler.
      this.addEventListener("message", (event) => {
        const data = event.data;
        const entry = { t: performance.now(), frame2: null, data,
                        bytes: data.byteLength ?? data.size ?? data.length };
        log.messages.push(entry);
        afterTwoFrames(entry);
      });
    }
  }
  window.WebSocket = ProbedWebSocket;
  // One entry per batch of DOM changes (the observer's callback runs once per task).
  new MutationObserver(() => {
    const entry = { t: performance.now(), frame2: null };
    log.changes.push(entry);
    afterTwoFrames(entry);
  }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  document.addEventListener("keydown", (event) => log.keys.push(event.timeStamp), true);
  document.addEventListener("click", (event) => log.clicks.push(event.timeStamp), true);
})();
