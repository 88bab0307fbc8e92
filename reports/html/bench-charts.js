// Draws the benchmark charts with uPlot (inlined before this script) from the
// JSON that bench-view.ts built. Only our own numbers and labels reach uPlot,
// and it writes labels as text. Without this script the tables still show
// every figure.
(() => {
  const data = JSON.parse(document.getElementById('bench-chart-data').textContent)
  const COLORS = ['#0969da', '#cf222e', '#1a7f37', '#8250df', '#9a6700', '#bf3989']
  const HEIGHT = 280
  const charts = []

  const round = (v, digits) => (v == null ? '–' : v.toFixed(digits))
  const msDigits = (v) => (Math.abs(v) < 10 ? 2 : Math.abs(v) < 100 ? 1 : 0)
  const widthOf = (el) => Math.max(320, el.clientWidth)

  // Series come in threes: median, max, min. The band between max and min
  // shows the spread over runs; only the median gets a legend row.
  function spreadSeries(series, bands, rows, s, color, format) {
    const median = rows.length
    rows.push(s.median, s.max, s.min)
    series.push(
      { label: s.label, stroke: color, width: 2, points: { size: 7, fill: color }, value: format },
      { label: `${s.label} max`, stroke: color, width: 1, dash: [3, 3], points: { show: false } },
      { label: `${s.label} min`, stroke: color, width: 1, dash: [3, 3], points: { show: false } },
    )
    bands.push({ series: [median + 1, median + 2], fill: `${color}22` })
  }

  function draw(el, series, bands, rows, xLabel, xValues, yLabel) {
    const chart = new uPlot({
      width: widthOf(el),
      height: HEIGHT,
      series,
      bands,
      // distr 2: x values are evenly spaced categories (1, 2, 4 workers; p50, p90, p99).
      scales: { x: { time: false, distr: 2 }, y: { range: (u, min, max) => [0, max > 0 ? max * 1.1 : 1] } },
      axes: [
        { label: xLabel, values: (u, ticks) => ticks.map(xValues) },
        { label: yLabel, size: 60 },
      ],
      cursor: { drag: { x: false, y: false } },
      legend: { live: true },
    }, rows, el)
    // Hide the min/max rows of the legend; their band is described by the median row.
    chart.root.querySelectorAll('.u-legend .u-series').forEach((row, i) => { row.hidden = i > 0 && (i - 1) % 3 !== 0 })
    charts.push([el, chart])
  }

  const scaling = data.scaling
  const scalingEl = document.getElementById('bench-scaling')
  if (scaling && scalingEl) {
    const series = [{ label: 'workers', value: (u, v) => (v == null ? 'hover a point' : `${v}`) }]
    const bands = []
    const rows = [scaling.workers]
    scaling.series.forEach((s, i) => {
      const format = (u, v, si, idx) => (v == null || idx == null ? '–'
        : `${round(v, 0)} req/s [${round(s.min[idx], 0)}–${round(s.max[idx], 0)}], efficiency ${round(s.efficiency[idx] * 100, 0)} %`)
      spreadSeries(series, bands, rows, s, COLORS[i % COLORS.length], format)
    })
    draw(scalingEl, series, bands, rows, 'workers', (v) => String(v), 'req/s (median, band: min–max)')
  }

  for (const gain of data.gains) {
    const el = document.getElementById(gain.chartId)
    if (!el) continue
    const names = gain.percentiles
    const series = [{ label: 'percentile', value: (u, v) => (v == null ? 'hover a point' : names[v]) }]
    const bands = []
    const rows = [names.map((_, i) => i)]
    ;[gain.better, gain.baseline].forEach((s, i) => {
      const format = (u, v, si, idx) => (v == null || idx == null ? '–'
        : `${round(v, msDigits(v))} ms [${round(s.min[idx], msDigits(v))}–${round(s.max[idx], msDigits(v))}]`)
      spreadSeries(series, bands, rows, s, COLORS[i], format)
    })
    draw(el, series, bands, rows, 'latency percentile', (v) => names[v] ?? '', 'ms (median, band: min–max)')
  }

  addEventListener('resize', () => {
    for (const [el, chart] of charts) chart.setSize({ width: widthOf(el), height: HEIGHT })
  })
})()
