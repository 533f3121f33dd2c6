// A daily bar chart in inline SVG (no chart library) with labelled gridlines, and the same
// figures as a table for screen readers and for anyone who prefers numbers.

import { h, s } from "../lib/dom";
import { axisMax, ticks, yFor } from "./logic";
import { d } from "./i18n";

export interface Point {
  label: string;
  value: number;
}

/** A bar chart of `points` (titled for assistive technology) followed by a collapsible
 * table with the same values. */
export function chartWithTable(title: string, points: Point[], format: (n: number) => string, integer = false, emptyText?: string): HTMLElement {
  const width = 640;
  const height = 240;
  const pad = { top: 12, right: 8, bottom: 28, left: 72 };
  const plotHeight = height - pad.top - pad.bottom;
  const plotWidth = width - pad.left - pad.right;
  const max = axisMax(Math.max(0, ...points.map((p) => p.value)), integer);
  const slot = plotWidth / Math.max(1, points.length);
  const barWidth = Math.max(2, slot * 0.7);
  const every = Math.ceil(points.length / 10);
  const svg = s(
    "svg",
    { viewBox: `0 0 ${width} ${height}`, class: "chart", role: "img", "aria-label": title },
    s("title", {}, title),
    ticks(max).map((value) => {
      const y = pad.top + yFor(value, max, plotHeight);
      return s(
        "g",
        { class: "grid" },
        s("line", { x1: pad.left, x2: width - pad.right, y1: y, y2: y, class: "axis" }),
        s("text", { x: pad.left - 6, y: y + 4, "text-anchor": "end", class: "tick" }, format(value)),
      );
    }),
    points.map((p, i) => {
      const top = pad.top + yFor(p.value, max, plotHeight);
      const x = pad.left + i * slot + (slot - barWidth) / 2;
      return s(
        "g",
        {},
        s("rect", { x, y: top, width: barWidth, height: Math.max(0, pad.top + plotHeight - top), rx: 2, class: "bar" }, s("title", {}, `${p.label}: ${format(p.value)}`)),
        i % every === 0 ? s("text", { x: x + barWidth / 2, y: height - 8, "text-anchor": "middle", class: "tick" }, p.label) : null,
      );
    }),
  );
  const table = h(
    "details",
    { class: "chart-table" },
    h("summary", null, d("as_table")),
    h(
      "table",
      { class: "table" },
      h("caption", { class: "visually-hidden" }, title),
      h("thead", null, h("tr", null, h("th", { scope: "col" }, d("date")), h("th", { scope: "col", class: "num" }, title))),
      h("tbody", null, points.map((p) => h("tr", null, h("th", { scope: "row" }, p.label), h("td", { class: "num" }, format(p.value))))),
    ),
  );
  // A chart of zeros would draw an axis of "$0 $0 $1 $1 $1": say there is nothing yet.
  const nothing = points.every((p) => p.value === 0);
  return h("figure", { class: "chart-box" }, h("figcaption", null, h("h3", null, title)),
    nothing && emptyText ? h("p", { class: "muted", dataset: { test: "chart-empty" } }, emptyText) : svg, nothing ? null : table);
}
