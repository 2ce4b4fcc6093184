// Injected before any page script: timestamps every websocket message on the page clock
// (performance.now()), keeps its bytes for decoding, and notes when two animation frames have
// passed after it. Key presses and clicks are timestamped too (event.timeStamp, the same clock).
(() => {
  const log = (window.__bench = { messages: [], keys: [], clicks: [] });
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
        requestAnimationFrame(() => requestAnimationFrame(() => { entry.frame2 = performance.now(); }));
      });
    }
  }
  window.WebSocket = ProbedWebSocket;
  document.addEventListener("keydown", (event) => log.keys.push(event.timeStamp), true);
  document.addEventListener("click", (event) => log.clicks.push(event.timeStamp), true);
})();
