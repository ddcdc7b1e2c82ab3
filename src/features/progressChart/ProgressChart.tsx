// The progress graph as SVG: measurements, aim line, OLS trend line, target line, phase-change
// markers. The chart is an image with a title and description; ProgressTable is its accessible
// alternative with the same numbers.
import { useEffect, useId, useState } from "react";
import { useI18n } from "../../i18n/I18nProvider";
import { CHART_SIZE, computeChartGeometry, type ChartInput } from "./chartGeometry";

// On a phone the same drawing is laid out on a narrower canvas, so its text stays readable.
const PHONE_SIZE = { width: 380, height: 300, margin: { left: 44, right: 12, top: 12, bottom: 36 } };
const PHONE_QUERY = "(max-width: 600px)";

function useNarrowScreen(): boolean {
  const [narrow, setNarrow] = useState(() => typeof window !== "undefined" && typeof window.matchMedia === "function" && window.matchMedia(PHONE_QUERY).matches);
  useEffect(() => {
    if (typeof window.matchMedia !== "function") return;
    const query = window.matchMedia(PHONE_QUERY);
    const update = () => setNarrow(query.matches);
    query.addEventListener("change", update);
    return () => query.removeEventListener("change", update);
  }, []);
  return narrow;
}

const COLORS = { points: "#1f4e79", aim: "#1b5e20", trend: "#8a4b00", target: "#4a5561", phase: "#6a1b9a", grid: "#e3e7eb", axis: "#4a5561" };

export function ProgressChart({ input, unit }: { input: ChartInput; unit: string }) {
  const { t, formatDate, formatNumber } = useI18n();
  const titleId = useId();
  const descId = useId();
  const narrow = useNarrowScreen();
  const g = computeChartGeometry(input, narrow ? PHONE_SIZE : CHART_SIZE);
  // Fewer date labels on the narrow canvas so they do not overlap.
  const xTicks = narrow ? g.xTicks.filter((_, i) => i % 2 === 0) : g.xTicks;
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${g.width} ${g.height}`} role="img" aria-labelledby={`${titleId} ${descId}`} data-testid="progress-chart">
        <title id={titleId}>{t("chart.title")}</title>
        <desc id={descId}>{t("chart.description")}</desc>
        <g aria-hidden="true">
          {g.yTicks.map((tick) => (
            <g key={`y${tick.value}`}>
              <line x1={g.plot.left} x2={g.plot.right} y1={tick.position} y2={tick.position} stroke={COLORS.grid} />
              <text x={g.plot.left - 6} y={tick.position + 4} textAnchor="end" fontSize="12" fill={COLORS.axis}>
                {formatNumber(tick.value)}
              </text>
            </g>
          ))}
          {xTicks.map((tick) => (
            <text key={`x${tick.value}`} x={tick.position} y={g.plot.bottom + 18} textAnchor="middle" fontSize="12" fill={COLORS.axis}>
              {formatDate(tick.label)}
            </text>
          ))}
          <text x={12} y={g.plot.top + 4} fontSize="12" fill={COLORS.axis} transform={`rotate(-90 12 ${g.plot.top + 4})`} textAnchor="end">
            {unit}
          </text>
          <line x1={g.plot.left} x2={g.plot.left} y1={g.plot.top} y2={g.plot.bottom} stroke={COLORS.axis} />
          <line x1={g.plot.left} x2={g.plot.right} y1={g.plot.bottom} y2={g.plot.bottom} stroke={COLORS.axis} />
          <line data-series="target" {...g.targetLine} stroke={COLORS.target} strokeDasharray="2 4" strokeWidth={1.5} />
          {g.phaseLines.map((line) => (
            <line key={line.date} data-series="phase" x1={line.x1} x2={line.x2} y1={line.y1} y2={line.y2} stroke={COLORS.phase} strokeWidth={2} strokeDasharray="8 4" />
          ))}
          <line data-series="aim" {...g.aimLine} stroke={COLORS.aim} strokeWidth={2} strokeDasharray="10 5" />
          {g.trendLine ? <line data-series="trend" {...g.trendLine} stroke={COLORS.trend} strokeWidth={2.5} /> : null}
          <polyline points={g.points.map((p) => `${p.cx},${p.cy}`).join(" ")} fill="none" stroke={COLORS.points} strokeOpacity={0.35} />
          {g.points.map((p, i) => (
            <circle key={i} data-series="point" cx={p.cx} cy={p.cy} r={4} fill={COLORS.points} />
          ))}
        </g>
      </svg>
      {g.points.length === 0 ? <figcaption>{t("chart.noData")}</figcaption> : null}
      <ul className="chart-legend" aria-label={t("chart.title")}>
        <li><LegendSwatch kind="point" />{t("chart.legend.points")}</li>
        <li><LegendSwatch kind="aim" />{t("chart.legend.aim")}</li>
        <li><LegendSwatch kind="trend" />{t("chart.legend.trend")}</li>
        <li><LegendSwatch kind="target" />{t("chart.legend.target")}</li>
        <li><LegendSwatch kind="phase" />{t("chart.legend.phase")}</li>
      </ul>
    </figure>
  );
}

function LegendSwatch({ kind }: { kind: "point" | "aim" | "trend" | "target" | "phase" }) {
  const dash = { point: undefined, aim: "10 5", trend: undefined, target: "2 4", phase: "8 4" }[kind];
  const color = { point: COLORS.points, aim: COLORS.aim, trend: COLORS.trend, target: COLORS.target, phase: COLORS.phase }[kind];
  return (
    <svg width="28" height="12" aria-hidden="true" style={{ marginRight: 4 }}>
      {kind === "point" ? <circle cx="14" cy="6" r="4" fill={color} /> : <line x1="0" x2="28" y1="6" y2="6" stroke={color} strokeWidth="2.5" strokeDasharray={dash} />}
    </svg>
  );
}
