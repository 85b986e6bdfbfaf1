import { describe, expect, it } from 'vitest';
import { renderPrometheusText } from './exposition.js';

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
