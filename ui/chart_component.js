// One Plotly chart that stays mounted. Each new figure for the same chart is applied with
// Plotly.react, which redraws only what changed; Streamlit's own chart element remounts on every new
// figure and draws it twice. plotly.js is loaded once per page from the URL the server gives.
const loading = {};

function plotlyFrom(src) {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  loading[src] ??= new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = src;
    script.onload = () => resolve(window.Plotly);
    script.onerror = () => {
      delete loading[src];
      reject(new Error(`${src} did not load`));
    };
    document.head.appendChild(script);
  });
  return loading[src];
}

export default function ({ data, parentElement }) {
  let host = parentElement.querySelector(".interconnect-chart");
  if (!host) {
    host = document.createElement("div");
    host.className = "interconnect-chart";
    host.setAttribute("role", "figure");
    parentElement.appendChild(host);
    // The chart follows its column's width (a window resized, the sidebar opened or closed).
    host.resizer = new ResizeObserver(() => {
      if (window.Plotly && host._fullLayout && host.clientWidth > 0 && host.clientWidth !== host._fullLayout.width) {
        window.Plotly.Plots.resize(host);
      }
    });
    host.resizer.observe(host);
  }
  host.style.minHeight = `${data.figure.layout.height}px`;
  host.setAttribute("aria-label", data.label);
  plotlyFrom(data.src).then(
    (Plotly) => Plotly.react(host, data.figure.data, data.figure.layout, data.config),
    () => {
      host.textContent = data.unavailable;
    },
  );
  return () => {
    host.resizer.disconnect();
    window.Plotly?.purge(host);
  };
}
