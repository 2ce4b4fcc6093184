// One Plotly chart that stays mounted. Each new figure for the same chart is applied with
// Plotly.react, which redraws only what changed; Streamlit's own chart element remounts on every new
// figure and draws it twice. A chart in the page's scrolling area is drawn when it is on screen or
// within a quarter screen of it, else as soon as it comes that near (and before printing): a lever move
// repaints what the reader can see without waiting for charts further down. plotly.js is loaded
// once per page: the page starts loading it as it opens (ui.widgets.page_script), and the
// charts wait for that script.
function plotlyFrom(src, scriptId) {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  let script = document.getElementById(scriptId);
  if (!script || script.dataset.failed !== undefined) {
    script?.remove();
    script = Object.assign(document.createElement("script"), { id: scriptId, src, async: true });
    script.addEventListener("error", () => { script.dataset.failed = ""; });
    document.head.appendChild(script);
  }
  return new Promise((resolve, reject) => {
    script.addEventListener("load", () => resolve(window.Plotly));
    script.addEventListener("error", () => reject(new Error(`${src} did not load`)));
  });
}

// The PNG download with a footnote: the mode bar's camera, from ui/chart_image.js, which the page's
// opening script defines once (this file travels with every chart on every rerun, so it stays small).
function withDownload(Plotly, host, config) {
  const button = config.displayModeBar !== false && window.interconnectChartImage?.button(Plotly, host);
  return button ? { ...config, modeBarButtonsToRemove: ["toImage"], modeBarButtonsToAdd: [button] } : config;
}

function draw(host) {
  const data = host.pending;
  host.pending = null;
  host.current = data;
  plotlyFrom(data.src, data.scriptId).then(
    (Plotly) => Plotly.react(host, data.figure.data, data.figure.layout, withDownload(Plotly, host, data.config)).then(() => {
      // A clickable chart sends the clicked point's customdata back to the page, once per click.
      if (data.clickable && !host.clickBound) {
        host.clickBound = true;
        host.on("plotly_click", (event) => {
          const point = event.points?.[0];
          if (point && point.customdata !== undefined) host.setTrigger?.("clicked", point.customdata);
        });
      }
    }),
    () => {
      host.textContent = data.unavailable;
    },
  );
}

// One observer for the main area's charts, with the scrolling area as its root so that "within a
// quarter screen" is measured where the page scrolls.
let nearScreen = null;
function watch(host) {
  const scroller = host.closest('[data-testid="stMain"]');
  if (!scroller) return false;
  nearScreen ??= new IntersectionObserver((entries) => {
    for (const entry of entries) {
      entry.target.near = entry.isIntersecting;
      if (entry.isIntersecting && entry.target.pending) draw(entry.target);
    }
  }, { root: scroller, rootMargin: "25% 0px" });
  nearScreen.observe(host);
  return true;
}

window.addEventListener("beforeprint", () => {
  document.querySelectorAll(".interconnect-chart").forEach((host) => host.pending && draw(host));
});

export default function ({ data, parentElement, setTriggerValue }) {
  let host = parentElement.querySelector(".interconnect-chart");
  if (!host) {
    host = document.createElement("div");
    host.className = "interconnect-chart";
    host.setAttribute("role", "figure");
    parentElement.appendChild(host);
    host.lazy = watch(host);
    // The chart follows its column's width (a window resized, the sidebar opened or closed).
    host.resizer = new ResizeObserver(() => {
      if (window.Plotly && host._fullLayout && host.clientWidth > 0 && host.clientWidth !== host._fullLayout.width) {
        window.Plotly.Plots.resize(host);
      }
    });
    host.resizer.observe(host);
  }
  host.setTrigger = setTriggerValue;
  host.style.minHeight = `${data.figure.layout.height}px`;
  host.setAttribute("aria-label", data.label);
  host.pending = data;
  if (!host.lazy || host.near) draw(host);
  return () => {
    host.resizer.disconnect();
    nearScreen?.unobserve(host);
    window.Plotly?.purge(host);
  };
}
