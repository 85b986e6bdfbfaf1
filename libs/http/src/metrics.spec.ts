import { describe, expect, it } from 'vitest';
import { Histogram, renderPrometheusText } from './metrics.js';

describe('renderPrometheusText', () => {
  it('writes HELP, TYPE and one line per sample, escaping label values and help text', () => {
    const text = renderPrometheusText([
      {
        name: 'citycred_issuances_total',
        help: 'Credentials issued\nby type',
        type: 'counter',
        samples: [
          { labels: { tenant: 'seoul-citizen', type: 'SeoulCitizenCard', format: 'jwt_vc' }, value: 3 },
          { labels: { tenant: 'odd"name\\x\ny', type: 't', format: 'vc+jwt' }, value: 1 },
        ],
      },
      { name: 'citycred_anchor_lag_seconds', help: 'Age', type: 'gauge', samples: [{ value: 1.5 }] },
      { name: 'citycred_empty', help: 'none yet', type: 'gauge', samples: [] },
    ]);
    expect(text).toBe(
      [
        '# HELP citycred_issuances_total Credentials issued\\nby type',
        '# TYPE citycred_issuances_total counter',
        'citycred_issuances_total{tenant="seoul-citizen",type="SeoulCitizenCard",format="jwt_vc"} 3',
        'citycred_issuances_total{tenant="odd\\"name\\\\x\\ny",type="t",format="vc+jwt"} 1',
        '# HELP citycred_anchor_lag_seconds Age',
        '# TYPE citycred_anchor_lag_seconds gauge',
        'citycred_anchor_lag_seconds 1.5',
        '# HELP citycred_empty none yet',
        '# TYPE citycred_empty gauge',
        '',
      ].join('\n'),
    );
  });

  it('refuses names the format does not allow', () => {
    expect(() => renderPrometheusText([{ name: 'bad-name', help: '', type: 'gauge', samples: [] }])).toThrow(TypeError);
    expect(() => renderPrometheusText([{ name: 'ok', help: '', type: 'gauge', samples: [{ labels: { 'a-b': 'x' }, value: 1 }] }])).toThrow(TypeError);
  });
});

describe('Histogram', () => {
  it('writes cumulative buckets with le, +Inf, _sum and _count per label set', () => {
    const histogram = new Histogram([0.01, 0.1]);
    histogram.observe(0.005, { kind: 'a' });
    histogram.observe(0.05, { kind: 'a' });
    histogram.observe(3, { kind: 'a' });
    histogram.observe(0.01, { kind: 'b' });
    const text = renderPrometheusText([{ name: 'x_seconds', help: 'h', type: 'histogram', samples: histogram.samples() }]);
    expect(text.split('\n').slice(2, 7)).toEqual([
      'x_seconds_bucket{kind="a",le="0.01"} 1',
      'x_seconds_bucket{kind="a",le="0.1"} 2',
      'x_seconds_bucket{kind="a",le="+Inf"} 3',
      'x_seconds_sum{kind="a"} 3.055',
      'x_seconds_count{kind="a"} 3',
    ]);
    expect(text).toContain('x_seconds_bucket{kind="b",le="0.01"} 1');
  });
});
