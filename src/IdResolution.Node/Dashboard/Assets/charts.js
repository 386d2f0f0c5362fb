// Line charts of the last hour, drawn as plain SVG: a few dozen lines instead of a charting library, so
// the page has no build step and nothing to keep up to date but this file.
const SVG = "http://www.w3.org/2000/svg";
const W = 600, H = 220, LEFT = 48, RIGHT = 8, TOP = 26, BOTTOM = 22;
const HOUR_MS = 3600 * 1000;

function node(name, attributes, text) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

// A "nice" upper bound for the axis: 1, 2, 2.5 or 5 times a power of ten.
function niceMax(value) {
  if (!(value > 0)) return 1;
  const power = Math.pow(10, Math.floor(Math.log10(value)));
  for (const step of [1, 2, 2.5, 5, 10]) if (value <= step * power) return step * power;
  return 10 * power;
}

function label(value) {
  if (value === 0) return "0";
  if (Math.abs(value) >= 1000) return (value / 1000).toFixed(value % 1000 === 0 ? 0 : 1) + "k";
  return Number.isInteger(value) ? String(value) : value.toFixed(value < 1 ? 2 : 1);
}

// series: [{ name, values: [number|null per time] }]; times: Date[]; options: { max, now }.
export function drawChart(svg, times, series, options = {}) {
  while (svg.firstChild) svg.removeChild(svg.firstChild);
  const now = options.now ?? Date.now();
  const start = now - HOUR_MS;
  let highest = 0;
  for (const s of series) for (const v of s.values) if (v !== null && v > highest) highest = v;
  const max = options.max ?? niceMax(highest);
  const x = (time) => LEFT + ((time - start) / HOUR_MS) * (W - LEFT - RIGHT);
  const y = (value) => TOP + (1 - Math.min(value, max) / max) * (H - TOP - BOTTOM);

  for (let i = 0; i <= 4; i++) {
    const value = (max * i) / 4;
    svg.appendChild(node("line", { class: "axis", x1: LEFT, x2: W - RIGHT, y1: y(value), y2: y(value) }));
    svg.appendChild(node("text", { x: LEFT - 6, y: y(value) + 4, "text-anchor": "end" }, label(value)));
  }
  for (const [minutes, anchor] of [[60, "start"], [45, "middle"], [30, "middle"], [15, "middle"], [0, "end"]]) {
    svg.appendChild(node("text", { x: x(now - minutes * 60000), y: H - 6, "text-anchor": anchor }, minutes === 0 ? "now" : `−${minutes} min`));
  }

  series.forEach((s, index) => {
    const points = [];
    times.forEach((time, i) => {
      const value = s.values[i];
      if (value !== null && value !== undefined && time >= start) points.push(`${x(time).toFixed(1)},${y(value).toFixed(1)}`);
    });
    const line = node("polyline", { class: `s${index}`, points: points.join(" ") });
    line.dataset.series = s.name;
    line.dataset.count = String(points.length);
    svg.appendChild(line);
    const keyX = LEFT + index * 130;
    svg.appendChild(node("line", { class: `key s${index}`, x1: keyX, x2: keyX + 22, y1: 10, y2: 10 }));
    svg.appendChild(node("text", { x: keyX + 28, y: 14 }, s.name));
  });
  svg.dataset.points = String(times.length);
  svg.dataset.max = String(max);
}
