// Bar charts in plain SVG (no chart library): scales to its container.

import { s } from "./dom";

export interface Bar {
  label: string;
  value: number;
}

export function barChart(bars: Bar[], title: string, format: (n: number) => string = String): SVGElement {
  const width = 600;
  const height = 220;
  const pad = { top: 16, right: 8, bottom: 28, left: 8 };
  const max = Math.max(1, ...bars.map((b) => b.value));
  const slot = (width - pad.left - pad.right) / Math.max(1, bars.length);
  const barWidth = Math.max(2, slot * 0.7);
  const chartHeight = height - pad.top - pad.bottom;
  const every = Math.ceil(bars.length / 12);
  return s(
    "svg",
    { viewBox: `0 0 ${width} ${height}`, class: "chart", role: "img", "aria-label": title },
    s("title", {}, title),
    s("line", { x1: pad.left, x2: width - pad.right, y1: height - pad.bottom, y2: height - pad.bottom, class: "axis" }),
    bars.map((b, i) => {
      const barHeight = (b.value / max) * chartHeight;
      const x = pad.left + i * slot + (slot - barWidth) / 2;
      const y = height - pad.bottom - barHeight;
      return s(
        "g",
        {},
        s("rect", { x, y, width: barWidth, height: Math.max(0, barHeight), rx: 3, class: "bar" }, s("title", {}, `${b.label}: ${format(b.value)}`)),
        i % every === 0 ? s("text", { x: x + barWidth / 2, y: height - 10, "text-anchor": "middle", class: "tick" }, b.label) : null,
      );
    }),
  );
}

/** 24 hourly buckets from the API's `by_hour` (keys like "13"), zero-filled. */
export function hours(buckets: { key: string; sales: number }[]): Bar[] {
  const byKey = new Map(buckets.map((b) => [Number(b.key), b.sales]));
  return Array.from({ length: 24 }, (_, hour) => ({ label: String(hour).padStart(2, "0"), value: byKey.get(hour) ?? 0 }));
}
