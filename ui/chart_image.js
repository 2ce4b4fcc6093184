/* Block comments only, and no angle bracket or ampersand (written as \x3c, \x26): the page's script tag carries this file. A chart's PNG download (ui/chart_component.js asks for the button): the chart as drawn, taller by a band under it that carries its title and the source line (a layout annotation), laid out only when the camera is pressed, so a slider move costs nothing more. One button object per chart: Plotly.react redraws the whole chart when its config differs, and a new button would differ. The page's opening script sets `source` and `download` in the reader's language (ui.chart_component). */
window.interconnectChartImage = {
  band: 60,

  /* The title as text (Plotly reads tags in an annotation and decodes entities), over the source line. */
  footnote(title) {
    const escaped = title.replace(/\x26/g, "\x26amp;").replace(/\x3c/g, "\x26lt;").replace(/\x3e/g, "\x26gt;");
    return `${escaped}\x3cbr\x3e${this.source}`;
  },

  figure(host) {
    const full = host._fullLayout;
    const height = full.height + this.band;
    const layout = JSON.parse(JSON.stringify(host.layout));
    Object.assign(layout, { width: full.width, height, margin: { ...layout.margin, b: full.margin.b + this.band } });
    if (layout.legend?.yref === "container") layout.legend = { ...layout.legend, y: (this.band + 4) / height };
    layout.annotations = [...(layout.annotations || []), {
      /* Placed from the plot area's bottom-left corner (an annotation has no container reference). */
      text: this.footnote(host.current.label), showarrow: false, xref: "paper", x: 0, xanchor: "left",
      xshift: 8 - full.margin.l, yref: "paper", y: 0, yanchor: "bottom", yshift: 6 - full.margin.b - this.band,
      align: "left", font: { size: 11, color: "#444444" },
    }];
    return { data: host.data, layout, width: full.width, height };
  },

  button(Plotly, host) {
    host.downloadButton ??= {
      name: "downloadWithSource", title: this.download, icon: Plotly.Icons.camera,
      click: () => {
        const figure = window.interconnectChartImage.figure(host);   /* the words of the page's language now */
        Plotly.toImage(figure, { format: "png", width: figure.width, height: figure.height, scale: 2 }).then((url) => {
          const link = Object.assign(document.createElement("a"), { href: url, download: `${host.current.filename}.png` });
          document.body.appendChild(link);
          link.click();
          link.remove();
        });
      },
    };
    return host.downloadButton;
  },
};
