// The public check page (docs/certificates.md): reads a credential from the URL fragment (#vc= or #ref=), a pasted
// text or a QR image, asks this verifier's POST /credentials/verify, and shows one verdict. Everything the page
// shows from a credential is set as text (textContent), never as markup.
import { claimsTrusted, verdictOf } from './verdict.js';

const TEXT = {
  ko: {
    title: '증명서 진위 확인',
    intro: '전자증명서의 QR 코드를 스캔했거나 증명서를 붙여넣으면, 발급기관의 전자서명, 발급기관 인가, 폐기 여부와 블록체인 기록을 확인합니다.',
    pasteLabel: '증명서 붙여넣기 (JWT 또는 QR의 주소)',
    check: '확인',
    uploadLabel: 'QR 코드 이미지로 확인',
    checking: '확인하는 중…',
    verdicts: {
      genuine: ['진본', '발급기관이 발급한 그대로이며 현재 유효합니다.'],
      pending: ['확인 중', '전자서명은 유효합니다. 블록체인 기록은 아직 처리 중입니다. 잠시 후 다시 확인하세요.'],
      altered: ['변조됨', '발급된 내용과 다릅니다. 이 증명서를 믿지 마세요.'],
      revoked: ['폐기·정지됨', '발급기관이 이 증명서를 폐기하거나 정지했습니다.'],
      expired: ['만료됨', '유효기간이 지났거나 아직 유효하지 않은 증명서입니다.'],
      'unknown-issuer': ['알 수 없는 발급기관', '발급 당시 서울시가 인가한 발급기관이 아닙니다.'],
      'not-verified': ['검증 실패', '증명서를 확인하지 못했습니다. 아래 항목을 보세요.'],
    },
    unavailable: '지금은 확인할 수 없습니다. 잠시 후 다시 시도하세요.',
    unreadable: '증명서를 읽을 수 없습니다.',
    noQr: '이미지에서 QR 코드를 찾지 못했습니다.',
    refRefused: '이 증명서의 참조 주소는 등록된 발급기관의 주소가 아닙니다.',
    refMissing: '참조된 증명서를 발급기관에서 찾지 못했습니다.',
    issuer: '발급기관',
    issued: '발급일시',
    validUntil: '유효기한',
    noLimit: '기한 없음',
    claims: '증명 내용',
    claimsHidden: '전자서명이 확인되지 않아 내용을 표시하지 않습니다.',
    checks: '확인 항목',
    yes: '예',
    no: '아니오',
    checkNames: { format: '형식', signature: '전자서명', validity: '유효기간', schema: '스키마', status: '폐기·정지 여부', 'issuer-accreditation': '발급기관 인가', anchor: '블록체인 기록', 'holder-binding': '소지자 확인' },
    statuses: { passed: '통과', failed: '실패', pending: '대기', skipped: '건너뜀' },
    other: 'English',
  },
  en: {
    title: 'Check a certificate',
    intro: 'Scan a certificate’s QR code or paste the credential: the page checks the issuer’s signature, its accreditation, revocation and the record on the city chain.',
    pasteLabel: 'Paste a credential (JWT or the QR’s address)',
    check: 'Check',
    uploadLabel: 'Check from a QR code image',
    checking: 'Checking…',
    verdicts: {
      genuine: ['Genuine', 'Exactly as the issuer issued it, and valid now.'],
      pending: ['Being confirmed', 'The signature is valid; the record on the city chain is still being written. Check again shortly.'],
      altered: ['Altered', 'This is not what the issuer issued. Do not trust this certificate.'],
      revoked: ['Revoked or suspended', 'The issuer revoked or suspended this certificate.'],
      expired: ['Expired', 'The certificate is past its validity (or not valid yet).'],
      'unknown-issuer': ['Unknown issuer', 'The issuer was not accredited by the city when it issued this.'],
      'not-verified': ['Not verified', 'The certificate could not be verified; see the checks below.'],
    },
    unavailable: 'The check cannot be done right now. Please try again shortly.',
    unreadable: 'This is not a credential the page can read.',
    noQr: 'No QR code was found in the image.',
    refRefused: 'The certificate’s reference does not point at the registered issuer.',
    refMissing: 'The issuer has no certificate with this reference.',
    issuer: 'Issuer',
    issued: 'Issued',
    validUntil: 'Valid until',
    noLimit: 'No time limit',
    claims: 'What it says',
    claimsHidden: 'The signature did not check out, so its contents are not shown.',
    checks: 'Checks',
    yes: 'Yes',
    no: 'No',
    checkNames: { format: 'Format', signature: 'Signature', validity: 'Validity period', schema: 'Schema', status: 'Revocation', 'issuer-accreditation': 'Issuer accreditation', anchor: 'City chain record', 'holder-binding': 'Holder binding' },
    statuses: { passed: 'passed', failed: 'failed', pending: 'pending', skipped: 'skipped' },
    other: '한국어',
  },
};

const $ = (id) => document.getElementById(id);
let lang = new URLSearchParams(location.search).get('lang') === 'en' ? 'en' : 'ko';
let settings = { issuerOrigins: [], types: {} };
/** What is on screen, so a language switch redraws it. */
let shown = null;

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function base64urlText(part) {
  const base64 = part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '=');
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

/** The credential a pasted text, a QR's content or a fragment carries: `{credential}` or `{reference}`. */
function parseInput(raw) {
  const text = raw.trim();
  const hash = text.indexOf('#');
  const fragment = hash >= 0 ? text.slice(hash + 1) : text;
  if (fragment.startsWith('vc=')) return { credential: fragment.slice(3) };
  if (fragment.startsWith('ref=')) return { reference: fragment.slice(4) };
  if (text.startsWith('{')) {
    try {
      return { credential: JSON.parse(text) };
    } catch {
      return { credential: text };
    }
  }
  return { credential: text };
}

/** Registered JWT claims and SD-JWT machinery: not claims about the subject. */
const NOT_SUBJECT = new Set(['iss', 'sub', 'iat', 'nbf', 'exp', 'jti', 'cnf', 'vct', 'status', '_sd', '_sd_alg', 'aud']);

/** What the page shows of a credential, read locally (the verifier's checks say whether to trust it). */
function describe(credential) {
  let compact = credential;
  if (typeof credential === 'object' && credential !== null) {
    if (credential.proof && typeof credential.proof.jwt === 'string') compact = credential.proof.jwt;
    else if (typeof credential.id === 'string' && credential.id.startsWith('data:')) compact = credential.id.slice(credential.id.indexOf(',') + 1);
  }
  if (typeof compact !== 'string') return null;
  const [jwt, ...disclosures] = compact.split('~');
  const payload = JSON.parse(base64urlText(jwt.split('.')[1] ?? ''));
  const time = (seconds) => (typeof seconds === 'number' ? new Date(seconds * 1000) : undefined);
  if (payload.vc) {
    const vc = payload.vc;
    return { types: vc.type ?? [], issuer: payload.iss, issued: time(payload.nbf), validUntil: time(payload.exp), claims: vc.credentialSubject ?? {} };
  }
  if (typeof payload.vct === 'string') {
    const claims = {};
    for (const [name, value] of Object.entries(payload)) if (!NOT_SUBJECT.has(name)) claims[name] = value;
    for (const disclosure of disclosures) {
      if (!disclosure || disclosure.includes('.')) continue;
      const decoded = JSON.parse(base64urlText(disclosure));
      if (Array.isArray(decoded) && decoded.length === 3 && typeof decoded[1] === 'string') claims[decoded[1]] = decoded[2];
    }
    return { types: [payload.vct.slice(payload.vct.lastIndexOf('/') + 1)], issuer: payload.iss, issued: time(payload.iat), validUntil: time(payload.exp), claims };
  }
  const date = (iso) => (typeof iso === 'string' ? new Date(iso) : undefined);
  return { types: payload.type ?? [], issuer: typeof payload.issuer === 'object' ? payload.issuer?.id : payload.issuer, issued: date(payload.validFrom) ?? time(payload.iat), validUntil: date(payload.validUntil), claims: payload.credentialSubject ?? {} };
}

function claimRows(claims, titles, prefix = [], titlePath = []) {
  const rows = [];
  for (const [name, value] of Object.entries(claims)) {
    if (prefix.length === 0 && name === 'id') continue;
    const path = [...titlePath, name];
    const label = [...prefix, titles[path.join('.')] ?? name];
    if (value && typeof value === 'object' && !Array.isArray(value)) rows.push(...claimRows(value, titles, label, path));
    else rows.push([label.join(' · '), value]);
  }
  return rows;
}

function show(value) {
  const t = TEXT[lang];
  if (value === true) return t.yes;
  if (value === false) return t.no;
  if (Array.isArray(value)) return value.map(show).join(', ');
  if (value === null || value === undefined) return '—';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function kst(date) {
  const text = new Intl.DateTimeFormat(lang === 'ko' ? 'ko-KR' : 'en-GB', { timeZone: 'Asia/Seoul', dateStyle: 'long', timeStyle: 'short' }).format(date);
  return `${text} (KST)`;
}

function render() {
  const t = TEXT[lang];
  document.documentElement.lang = lang;
  document.title = t.title;
  for (const node of document.querySelectorAll('[data-text]')) node.textContent = t[node.dataset.text];
  $('language').textContent = t.other;
  const out = $('result');
  out.replaceChildren();
  if (!shown) return;
  if (shown.message) {
    out.append(element('p', t[shown.message], 'message'));
    return;
  }
  const { answer, description } = shown;
  const verdict = verdictOf(answer);
  const [headline, explanation] = t.verdicts[verdict];
  const banner = element('section', undefined, `verdict verdict-${verdict}`);
  banner.id = 'verdict';
  banner.dataset.verdict = verdict;
  banner.setAttribute('role', 'status');
  banner.append(element('h2', headline), element('p', explanation));
  out.append(banner);

  if (description && claimsTrusted(answer)) {
    const type = description.types.filter((name) => name !== 'VerifiableCredential').at(-1) ?? '';
    const info = settings.types[type];
    const card = element('section', undefined, 'credential');
    card.append(element('h3', info ? info[lang] : type));
    const facts = element('dl');
    const fact = (label, value) => facts.append(element('dt', label), element('dd', value));
    fact(t.issuer, description.issuer ?? '—');
    if (description.issued) fact(t.issued, kst(description.issued));
    fact(t.validUntil, description.validUntil ? kst(description.validUntil) : t.noLimit);
    card.append(facts, element('h4', t.claims));
    const table = element('table', undefined, 'claims');
    for (const [label, value] of claimRows(description.claims, info?.titles ?? {})) {
      const row = element('tr');
      row.append(element('th', label), element('td', show(value)));
      table.append(row);
    }
    card.append(table);
    out.append(card);
  } else if (description) {
    out.append(element('p', t.claimsHidden, 'message'));
  }

  const checks = element('section', undefined, 'checks');
  checks.append(element('h3', t.checks));
  const list = element('ul');
  for (const check of Array.isArray(answer.checks) ? answer.checks : []) {
    const item = element('li', undefined, `check check-${check.status}`);
    item.append(element('strong', t.checkNames[check.id] ?? String(check.id)), element('span', ` ${t.statuses[check.status] ?? String(check.status)}`, 'status'), element('small', String(check.detail ?? '')));
    list.append(item);
  }
  checks.append(list);
  out.append(checks);
}

async function check(input) {
  shown = { message: 'checking' };
  render();
  let credential = input.credential;
  if (input.reference !== undefined) {
    let url;
    try {
      url = new URL(input.reference);
    } catch {
      url = undefined;
    }
    if (!url || !settings.issuerOrigins.includes(url.origin) || !url.pathname.startsWith('/certificates/')) {
      shown = { message: 'refRefused' };
      return render();
    }
    const res = await fetch(url, { credentials: 'omit', referrerPolicy: 'no-referrer', cache: 'no-store' }).catch(() => null);
    if (!res || res.status >= 500) {
      shown = { message: 'unavailable' };
      return render();
    }
    const body = res.ok ? await res.json().catch(() => null) : null;
    if (!body || typeof body.credential !== 'string') {
      shown = { message: 'refMissing' };
      return render();
    }
    credential = body.credential;
  }
  let description = null;
  try {
    description = describe(credential);
  } catch {
    description = null;
  }
  const res = await fetch('/credentials/verify', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ verifiableCredential: credential }),
  }).catch(() => null);
  const answer = res && (res.status === 200 || res.status === 400) ? await res.json().catch(() => null) : null;
  if (!answer || !Array.isArray(answer.checks)) {
    shown = { message: res && res.status === 400 ? 'unreadable' : 'unavailable' };
    return render();
  }
  shown = { answer, description };
  render();
}

async function readQrImage(file) {
  const bitmap = await createImageBitmap(file);
  const canvas = document.createElement('canvas');
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  const context = canvas.getContext('2d');
  context.drawImage(bitmap, 0, 0);
  const { data, width, height } = context.getImageData(0, 0, canvas.width, canvas.height);
  return window.jsQR(data, width, height)?.data;
}

function fromFragment() {
  const fragment = location.hash.slice(1);
  if (fragment.startsWith('vc=') || fragment.startsWith('ref=')) void check(parseInput(`#${fragment}`));
}

async function start() {
  settings = await fetch('/check/settings.json').then((res) => res.json());
  $('language').addEventListener('click', () => {
    lang = lang === 'ko' ? 'en' : 'ko';
    render();
  });
  $('paste-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const text = $('paste').value;
    if (text.trim()) void check(parseInput(text));
  });
  $('qr-image').addEventListener('change', async () => {
    const file = $('qr-image').files?.[0];
    if (!file) return;
    const data = await readQrImage(file).catch(() => undefined);
    if (data) void check(parseInput(data));
    else {
      shown = { message: 'noQr' };
      render();
    }
  });
  window.addEventListener('hashchange', fromFragment);
  render();
  fromFragment();
}

void start();
