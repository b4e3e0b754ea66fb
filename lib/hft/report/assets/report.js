// hft report: draws the runs embedded in #hft-report-data (written by `hft report`) with Chart.js.
// Plain ES2017, no modules: the page is one file opened from disk. Tests read window.hftCharts
// ({chart id: Chart}) once window.hftReportReady is true (window.hftReportError says why not).
'use strict';

(function () {
  // Keys that are not curves: the x axis, the epoch counter, and a cumulative FLOP count.
  const NOT_CHARTED = ['step', 'epoch', 'total_flos'];
  // Tableau 10: distinct hues for the overlaid runs.
  const PALETTE = [
    [78, 121, 167], [242, 142, 43], [225, 87, 89], [118, 183, 178], [89, 161, 79],
    [237, 201, 72], [176, 122, 161], [255, 157, 167], [156, 117, 95], [186, 176, 172],
  ];
  const SMOOTHING_WEIGHT = 0.6;
  const CHART_WIDTH = 640;
  const CHART_HEIGHT = 320;
  // Above this many points a line is drawn without point markers.
  const MARKER_LIMIT = 40;

  // ---- Data ----------------------------------------------------------------------------------

  function readData() {
    const text = document.getElementById('hft-report-data').textContent;
    const data = JSON.parse(text);
    if (!data || !Array.isArray(data.runs)) throw new Error('the report data has no "runs" list');
    return data;
  }

  function logOf(run) {
    const history = Array.isArray(run.log_history) ? run.log_history : [];
    return history.filter((entry) => entry !== null && typeof entry === 'object');
  }

  function isNumber(value) {
    return typeof value === 'number';
  }

  // The final summary entry (train_loss, train_runtime, ...) holds totals, not points of a curve.
  function summaryKeys(runs) {
    const keys = new Set();
    for (const run of runs) {
      for (const entry of logOf(run)) {
        if ('train_runtime' in entry) Object.keys(entry).forEach((key) => keys.add(key));
      }
    }
    return keys;
  }

  function seriesOf(run, key) {
    return logOf(run)
      .filter((entry) => isNumber(entry[key]) && isNumber(entry.step))
      .map((entry) => ({x: entry.step, y: entry[key]}));
  }

  // Training curves first, then evaluation metrics, then timing, throughput and memory.
  function chartRank(key) {
    const fixed = ['loss', 'learning_rate', 'grad_norm'].indexOf(key);
    if (fixed >= 0) return fixed;
    const timing = /(_runtime|_per_second)$/.test(key);
    const memory = /mem/.test(key);
    if (key === 'eval_loss') return 3;
    if (key.startsWith('eval_') && !timing) return 4;
    if (!timing && !memory) return 5;
    if (key.startsWith('eval_')) return 6;
    if (key.startsWith('throughput_')) return 7;
    return memory ? 9 : 8;
  }

  // Every numeric log key that some run has a point for, in chart order (ties: first seen).
  function chartKeys(runs) {
    const excluded = new Set([...NOT_CHARTED, ...summaryKeys(runs)]);
    const seen = [];
    for (const run of runs) {
      for (const entry of logOf(run)) {
        if (!isNumber(entry.step)) continue;
        for (const [key, value] of Object.entries(entry)) {
          if (isNumber(value) && !excluded.has(key) && !seen.includes(key)) seen.push(key);
        }
      }
    }
    return seen
      .map((key, order) => ({key, order, rank: chartRank(key)}))
      .sort((a, b) => a.rank - b.rank || a.order - b.order)
      .map((item) => item.key);
  }

  // TensorBoard's smoothing: an exponential moving average s_t = w*s_{t-1} + (1-w)*y_t from s_0 = 0,
  // shown debiased as s_t / (1 - w^t) (as Adam's moments are) so the first points are not pulled
  // towards 0; w = SMOOTHING_WEIGHT = 0.6, TensorBoard's default.
  function smooth(points, weight) {
    let average = 0;
    return points.map((point, index) => {
      average = average * weight + (1 - weight) * point.y;
      return {x: point.x, y: average / (1 - Math.pow(weight, index + 1))};
    });
  }

  // The run's best checkpoint as a point on the chart of metric_for_best_model, or null.
  function bestPoint(run, key) {
    const metric = run.metric_for_best_model;
    if (typeof metric !== 'string' || !isNumber(run.best_global_step) || !isNumber(run.best_metric)) return null;
    // The Trainer adds the eval_ prefix when the recipe leaves it out; accept both spellings.
    const chartId = metric.startsWith('eval_') ? metric : 'eval_' + metric;
    return chartId === key ? {x: run.best_global_step, y: run.best_metric} : null;
  }

  // ---- Charts --------------------------------------------------------------------------------

  function colour(index, alpha) {
    const [r, g, b] = PALETTE[index % PALETTE.length];
    return `rgba(${r}, ${g}, ${b}, ${alpha})`;
  }

  function lineDataset(label, points, lineColour, width) {
    return {
      label,
      data: points,
      borderColor: lineColour,
      backgroundColor: lineColour,
      borderWidth: width,
      pointRadius: points.length > MARKER_LIMIT ? 0 : 2,
      tension: 0,
      fill: false,
    };
  }

  function bestDataset(run, point, index) {
    return {
      label: `${run.name} best`,
      data: [point],
      showLine: false,
      pointStyle: 'star',
      pointRadius: 12,
      pointHoverRadius: 14,
      pointBorderWidth: 3,
      order: -1,  // over the lines
      borderColor: colour(index, 1),
      backgroundColor: colour(index, 1),
    };
  }

  // One dataset per run that has the key; the loss also gets its smoothed line, drawn over a
  // thinner, fainter raw line, and the metric_for_best_model chart a star at the best checkpoint.
  function datasetsFor(key, runs) {
    const datasets = [];
    runs.forEach((run, index) => {
      const points = seriesOf(run, key);
      if (points.length > 0 && key === 'loss') {
        // Chart.js draws a lower `order` on top: the raw line goes under the smoothed one.
        datasets.push(Object.assign(lineDataset(run.name, points, colour(index, 0.35), 1), {order: 1}));
        datasets.push(lineDataset(`${run.name} (smoothed)`, smooth(points, SMOOTHING_WEIGHT), colour(index, 1), 2));
      } else if (points.length > 0) {
        datasets.push(lineDataset(run.name, points, colour(index, 1), 2));
      }
      const best = bestPoint(run, key);
      if (best) datasets.push(bestDataset(run, best, index));
    });
    return datasets;
  }

  // Chart.js writes 3.5e11 FLOP/s in twelve digits; past a million an exponent reads better.
  // Large and small values (FLOP/s, learning rates) as 3 significant digits in exponent form:
  // Chart.js's own formatter writes 5.000000E-5.
  function yTick(value, index, ticks) {
    const magnitude = Math.abs(value);
    if (magnitude >= 1e6 || (magnitude > 0 && magnitude < 1e-3)) return Number(value.toPrecision(3)).toExponential();
    return Chart.Ticks.formatters.numeric.call(this, value, index, ticks);
  }

  function createChart(container, key, datasets) {
    const canvas = element('canvas', {width: CHART_WIDTH, height: CHART_HEIGHT, 'data-chart': key});
    container.appendChild(element('div', {class: 'chart-card'}, [canvas]));
    // Fixed size and no animation: the chart is complete as soon as it is built (screenshots, tests).
    return new Chart(canvas.getContext('2d'), {
      type: 'line',
      data: {datasets},
      options: {
        responsive: false,
        animation: false,
        interaction: {mode: 'nearest', axis: 'x', intersect: false},
        scales: {
          x: {type: 'linear', title: {display: true, text: 'step'}, ticks: {precision: 0}},
          y: {type: 'linear', ticks: {callback: yTick}},
        },
        plugins: {
          title: {display: true, text: key},
          // In dataset order, run by run (`order` above would sort the stars first).
          legend: {position: 'bottom', labels: {boxWidth: 12, sort: (a, b) => a.datasetIndex - b.datasetIndex}},
        },
      },
    });
  }

  function drawCharts(runs) {
    const container = document.getElementById('charts');
    const keys = chartKeys(runs);
    if (keys.length === 0) {
      container.appendChild(element('p', {class: 'empty', id: 'no-charts'},
        'No numeric values in the log history of these runs: there is nothing to chart.'));
    }
    for (const key of keys) window.hftCharts[key] = createChart(container, key, datasetsFor(key, runs));
  }

  // ---- Tables --------------------------------------------------------------------------------

  function element(tag, attributes, children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
    // Text goes in as text nodes, never as HTML: labels and recipes come from user files.
    for (const child of [].concat(children === undefined ? [] : children)) {
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  function formatNumber(value) {
    const magnitude = Math.abs(value);
    if (Number.isInteger(value) && magnitude < 1e7) return String(value);
    if (magnitude !== 0 && (magnitude >= 1e7 || magnitude < 1e-3)) return value.toExponential(3);
    return String(Number(value.toPrecision(6)));
  }

  // Any JSON value as short text; lists of pairs (label counts, percentiles) read "a: b, c: d".
  function formatValue(value) {
    if (value === null || value === undefined) return '\u2014';
    if (isNumber(value)) return formatNumber(value);
    if (Array.isArray(value)) {
      const pairs = value.every((item) => Array.isArray(item) && item.length === 2);
      return value.map((item) => (pairs ? `${formatValue(item[0])}: ${formatValue(item[1])}` : formatValue(item)))
        .join(', ');
    }
    if (typeof value === 'object') return JSON.stringify(value);
    return String(value);
  }

  // A cell; numbers keep their exact value in data-value (and the hover title).
  function valueCell(value, key) {
    const attributes = key === undefined ? {} : {'data-key': key};
    if (!isNumber(value)) return element('td', attributes, formatValue(value));
    Object.assign(attributes, {class: 'number', 'data-value': String(value), title: String(value)});
    return element('td', attributes, formatNumber(value));
  }

  function keyValueTable(caption, name, rows) {
    const body = rows.map(([key, value]) => element('tr', {'data-key': key}, [element('th', {}, key), valueCell(value)]));
    return element('table', {'data-table': name}, [element('caption', {}, caption), element('tbody', {}, body)]);
  }

  function isObject(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value);
  }

  function renderResults(run) {
    const tables = [];
    if (isObject(run.train_results)) {
      tables.push(keyValueTable('Training (train_results.json)', 'train-results', Object.entries(run.train_results)));
    }
    if (isObject(run.eval_results)) {
      tables.push(keyValueTable('Evaluation (eval_results.json)', 'eval-results', Object.entries(run.eval_results)));
    }
    const best = ['metric_for_best_model', 'best_metric', 'best_global_step', 'best_model_checkpoint']
      .filter((key) => run[key] !== null && run[key] !== undefined)
      .map((key) => [key, run[key]]);
    if (best.length > 0) tables.push(keyValueTable('Best checkpoint', 'best-checkpoint', best));
    if (tables.length === 0) return element('p', {class: 'empty'}, 'No train_results.json or eval_results.json.');
    return element('div', {class: 'tables'}, tables);
  }

  // Splits as columns, statistics as rows: the splits side by side.
  function renderDataStatistics(statistics) {
    const splits = Object.keys(statistics).filter((split) => isObject(statistics[split]));
    const keys = [];
    for (const split of splits) {
      for (const key of Object.keys(statistics[split])) if (!keys.includes(key)) keys.push(key);
    }
    const head = element('tr', {}, [element('th', {}, ''), ...splits.map((split) => element('th', {}, split))]);
    const rows = keys.map((key) => element('tr', {'data-key': key},
      [element('th', {}, key), ...splits.map((split) => valueCell(statistics[split][key], split))]));
    return element('table', {'data-table': 'data-statistics'},
      [element('caption', {}, 'Data statistics'), element('thead', {}, head), element('tbody', {}, rows)]);
  }

  // Rows: true label; columns: predicted label; each cell shaded by its share of the largest count.
  function renderConfusionMatrix(labels, matrix) {
    const largest = Math.max(1, ...[].concat(...matrix).filter(isNumber));
    const head = [
      element('tr', {}, [element('th', {class: 'axis'}, ''), element('th', {class: 'axis', colspan: labels.length}, 'predicted')]),
      element('tr', {}, [element('th', {class: 'axis'}, 'true'), ...labels.map((label) => element('th', {}, label))]),
    ];
    const rows = matrix.map((counts, row) => element('tr', {'data-label': labels[row]},
      [element('th', {}, labels[row]), ...counts.map((count) => countCell(count, largest))]));
    return element('table', {class: 'confusion', 'data-table': 'confusion-matrix'},
      [element('caption', {}, 'Confusion matrix'), element('thead', {}, head), element('tbody', {}, rows)]);
  }

  function countCell(count, largest) {
    const cell = element('td', {'data-count': String(count)}, formatValue(count));
    const share = isNumber(count) ? count / largest : 0;
    cell.style.backgroundColor = `rgba(47, 93, 138, ${(0.9 * share).toFixed(3)})`;
    cell.style.color = share > 0.5 ? '#fff' : '';
    return cell;
  }

  function renderPerClass(perClass) {
    const columns = ['precision', 'recall', 'f1', 'support'];
    const head = element('tr', {}, [element('th', {}, 'label'), ...columns.map((column) => element('th', {}, column))]);
    const rows = perClass.map((item) => element('tr', {'data-label': item.label},
      [element('th', {}, item.label), ...columns.map((column) => valueCell(item[column], column))]));
    return element('table', {'data-table': 'per-class'},
      [element('caption', {}, 'Per class'), element('thead', {}, head), element('tbody', {}, rows)]);
  }

  function renderClassificationReport(report) {
    const tables = [];
    if (Array.isArray(report.labels) && Array.isArray(report.confusion_matrix)) {
      tables.push(renderConfusionMatrix(report.labels, report.confusion_matrix));
    }
    if (Array.isArray(report.per_class)) tables.push(renderPerClass(report.per_class));
    return element('div', {class: 'tables'}, tables);
  }

  function renderRecipe(yaml) {
    return element('details', {}, [element('summary', {}, 'Recipe (hft_recipe.yaml)'), element('pre', {}, yaml)]);
  }

  function renderRun(run, index) {
    const section = element('section', {class: 'run', 'data-run': run.name}, [
      element('h2', {}, [element('span', {class: 'swatch'}), run.name]),
      element('p', {class: 'muted'}, run.folder),
      element('h3', {}, 'Results'),
      renderResults(run),
    ]);
    section.querySelector('.swatch').style.backgroundColor = colour(index, 1);
    if (isObject(run.data_statistics)) section.append(element('h3', {}, 'Data'), renderDataStatistics(run.data_statistics));
    if (isObject(run.classification_report)) {
      section.append(element('h3', {}, 'Classification report'), renderClassificationReport(run.classification_report));
    }
    if (typeof run.recipe_yaml === 'string') section.append(renderRecipe(run.recipe_yaml));
    return section;
  }

  function renderRunList(runs) {
    const head = element('tr', {}, ['run', 'folder', 'log entries'].map((title) => element('th', {}, title)));
    const rows = runs.map((run, index) => {
      const swatch = element('span', {class: 'swatch'});
      swatch.style.backgroundColor = colour(index, 1);
      return element('tr', {'data-run': run.name},
        [element('td', {}, [swatch, run.name]), element('td', {}, run.folder), valueCell(logOf(run).length)]);
    });
    if (runs.length === 0) return element('p', {class: 'empty'}, 'No runs.');
    return element('table', {'data-table': 'runs'}, [element('thead', {}, head), element('tbody', {}, rows)]);
  }

  // ---- Page ----------------------------------------------------------------------------------

  function showError(error) {
    const message = `This report could not be drawn: ${error && error.message ? error.message : error}`;
    document.querySelector('main').prepend(element('p', {class: 'error', id: 'report-error'}, message));
  }

  function main() {
    window.hftCharts = {};
    try {
      const data = readData();
      document.getElementById('generator').textContent = data.generator ? `Written by ${data.generator}.` : '';
      document.getElementById('runs').appendChild(renderRunList(data.runs));
      drawCharts(data.runs);
      const details = document.getElementById('run-details');
      data.runs.forEach((run, index) => details.appendChild(renderRun(run, index)));
      window.hftReportReady = true;
    } catch (error) {
      window.hftReportError = String(error && error.stack ? error.stack : error);
      showError(error);
      console.error(error);
    }
  }

  main();
})();
