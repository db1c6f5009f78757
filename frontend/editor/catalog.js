// The chosen catalog's vocabulary for PromQL completion: series names, their metric type and
// their label names. The server sends nothing else (no help text, no label values): both come
// from the monitored systems and are untrusted, and completion does not need them.

const EMPTY = { catalog: null, series: new Map(), labels: [] };
const loaded = new Map();

function normalize(data) {
  if (!data || !Array.isArray(data.metrics)) {
    return EMPTY;
  }
  const sets = Array.isArray(data.label_sets) ? data.label_sets : [];
  const series = new Map();
  const labels = new Set();
  for (const metric of data.metrics) {
    if (!metric || typeof metric.name !== "string") {
      continue;
    }
    const set = sets[metric.labels];
    const names = Array.isArray(set) ? set.filter((l) => typeof l === "string") : [];
    names.forEach((name) => labels.add(name));
    series.set(metric.name, { type: String(metric.type || "unknown"), family: String(metric.family || metric.name), labels: names });
  }
  return { catalog: typeof data.catalog === "string" ? data.catalog : null, series, labels: [...labels].sort() };
}

// Fetched once per URL and page; a missing or unreadable catalog means no metric completion,
// never a broken editor.
export function loadVocabulary(url) {
  if (!url) {
    return Promise.resolve(EMPTY);
  }
  if (!loaded.has(url)) {
    const request = fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : null))
      .then(normalize)
      .catch(() => EMPTY);
    loaded.set(url, request);
  }
  return loaded.get(url);
}

// What a series is, in the words the completion list shows next to its name.
const PARTS = { _bucket: "buckets", _sum: "sum", _count: "count" };

export function describeSeries(name, entry) {
  if (!entry) {
    return "";
  }
  if (entry.type === "histogram" || entry.type === "summary") {
    const part = PARTS[name.slice(entry.family.length)] || (entry.type === "summary" ? "quantiles" : "");
    return part ? `${entry.type} ${part}` : entry.type;
  }
  return entry.type;
}

// Where a textarea's vocabulary is: its `data-catalog-url`, or, when `data-catalog-select`
// names a <select> of catalog slugs, that URL with `__catalog__` replaced by the chosen slug
// (read at each completion, so changing the catalog changes the names offered).
export const CATALOG_PLACEHOLDER = "__catalog__";

export function vocabularyOf(textarea) {
  return () => {
    const url = textarea.dataset.catalogUrl;
    const selectId = textarea.dataset.catalogSelect;
    if (!selectId) {
      return loadVocabulary(url);
    }
    const select = document.getElementById(selectId);
    const slug = select ? select.value : "";
    return loadVocabulary(slug && url ? url.replace(CATALOG_PLACEHOLDER, encodeURIComponent(slug)) : null);
  };
}

// codemirror-promql asks a `PrometheusClient` for names; this one answers from the catalog.
export class CatalogClient {
  constructor(vocabulary) {
    this.vocabulary = vocabulary;
  }

  async metricNames() {
    return [...(await this.vocabulary()).series.keys()];
  }

  async labelNames(metricName) {
    const vocabulary = await this.vocabulary();
    const entry = metricName ? vocabulary.series.get(metricName) : undefined;
    return entry ? entry.labels : vocabulary.labels;
  }

  async labelValues() {
    return [];
  }

  async metricMetadata() {
    return {};
  }

  async series() {
    return [];
  }

  async flags() {
    return {};
  }
}
