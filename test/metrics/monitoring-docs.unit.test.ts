import { parser } from '@prometheus-io/lezer-promql';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { createLedgerMetrics } from '../../src/metrics/ledger-metrics.ts';

/** Every series name the service exposes (histograms as their _bucket, _sum and _count series), plus Prometheus's own `up`. */
const exposed = (): Set<string> => {
  const metrics = createLedgerMetrics({
    dataDir: '.',
    events: { headPosition: async () => undefined, readAll: async function* () {} },
    projections: () => [],
    latestCheckpoint: async () => undefined,
    operations: { latest: async () => ({ last: undefined, lastOk: undefined }) },
    accessLogBacklog: () => 0,
  });
  const names = new Set(['up']);
  for (const metric of metrics.registry.getMetricsAsArray()) {
    const { name, type } = metric as unknown as { name: string; type: string };
    names.add(name);
    if (type === 'histogram' || type === 'summary') for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${name}${suffix}`);
  }
  return names;
};

/** Parses with Prometheus's own PromQL grammar; returns the metric names it selects, or throws naming the syntax error. */
const selectedMetrics = (expr: string): string[] => {
  const tree = parser.parse(expr);
  const names: string[] = [];
  let error: number | undefined;
  tree.iterate({
    enter: (node) => {
      if (node.type.isError) error ??= node.from;
      if (node.name === 'VectorSelector') {
        const identifier = node.node.getChild('Identifier');
        if (identifier) names.push(expr.slice(identifier.from, identifier.to));
      }
    },
  });
  if (error !== undefined) throw new Error(`PromQL syntax error at ${error} in: ${expr}`);
  return names;
};

describe('the monitoring files in docs/', () => {
  const names = exposed();

  it('alert rules: each has a name, a summary and an expression that parses and selects only metrics the service exposes', () => {
    const rules = (
      parseYaml(fs.readFileSync('docs/prometheus-alerts.yml', 'utf8')) as {
        groups: { rules: { alert: string; expr: string; annotations: { summary: string } }[] }[];
      }
    ).groups.flatMap((g) => g.rules);
    expect(rules.length).toBeGreaterThanOrEqual(10);
    for (const rule of rules) {
      expect(rule.alert).toMatch(/^Ledger[A-Za-z]+$/);
      expect(rule.annotations.summary, rule.alert).toBeTruthy();
      const selected = selectedMetrics(rule.expr);
      expect(selected.length, rule.alert).toBeGreaterThan(0);
      expect(
        selected.filter((n) => !names.has(n)),
        rule.alert,
      ).toEqual([]);
    }
  });

  it('the Grafana dashboard: every panel query parses and selects only metrics the service exposes', () => {
    const dashboard = JSON.parse(fs.readFileSync('docs/grafana-dashboard.json', 'utf8')) as {
      panels: { title: string; targets: { expr: string }[] }[];
    };
    const shown = new Set<string>();
    for (const panel of dashboard.panels)
      for (const target of panel.targets) {
        const selected = selectedMetrics(target.expr);
        expect(
          selected.filter((n) => !names.has(n)),
          panel.title,
        ).toEqual([]);
        for (const name of selected) shown.add(name.replace(/_(bucket|sum|count)$/, ''));
      }
    // Every ledger_ metric the service exposes is on the dashboard somewhere.
    expect([...names].filter((n) => n.startsWith('ledger_') && !/_(bucket|sum|count)$/.test(n) && !shown.has(n))).toEqual([]);
  });
});
