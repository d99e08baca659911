import parsePrometheusTextFormat, { type MetricFamily, type Sample } from 'parse-prometheus-text-format';

/** A sample value as the text format writes it: a float, or +Inf, -Inf, NaN. */
const number = (text: string | undefined): number =>
  text === undefined ? 0 : text === '+Inf' ? Number.POSITIVE_INFINITY : text === '-Inf' ? Number.NEGATIVE_INFINITY : Number(text);

/**
 * A scrape as Prometheus would take it, parsed by a Prometheus text-format parser (which
 * throws on a malformed line), with lookups by name and labels. The parser folds a labelled
 * histogram's series into one, so counts are read only from histograms without labels.
 */
export const scrape = async (url: string, key: string) => {
  const response = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${key}` } });
  if (response.status !== 200) throw new Error(`GET /metrics answered ${response.status}: ${await response.text()}`);
  const text = await response.text();
  const families = parsePrometheusTextFormat(text);
  const byName = new Map<string, MetricFamily>(families.map((f) => [f.name, f]));
  const family = (name: string): MetricFamily => {
    const found = byName.get(name);
    if (!found) throw new Error(`no metric ${name} in the scrape`);
    return found;
  };
  const sample = (name: string, labels: Record<string, string> = {}): Sample | undefined =>
    family(name).metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  return {
    text,
    contentType: response.headers.get('content-type'),
    families,
    family,
    /** A gauge's or counter's value; 0 when the labelled series does not exist yet. */
    value: (name: string, labels: Record<string, string> = {}): number => number(sample(name, labels)?.value),
    /** An unlabelled histogram's observation count. */
    count: (name: string): number => number(family(name).metrics[0]?.count),
  };
};
