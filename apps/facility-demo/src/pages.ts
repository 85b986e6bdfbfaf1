import type { Bilingual, Bookings } from './bookings.js';

/**
 * The site's Content Security Policy: its one style sheet and nothing else — no script at all, no image or font from
 * anywhere, forms posted to this site only, no framing, no `<base>`. The sign-in button is a link (a form's redirect
 * to the provider would fall under `form-action`).
 */
export const SITE_CSP = "default-src 'none'; style-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** The site's name, as registered with the provider (config/oidc-clients.json). */
export const SITE_NAME: Bilingual = { ko: '서울시 공공시설 예약 (데모)', en: 'Seoul public facility booking (demo)' };

/** What the site received about the signed-in citizen: the ID token's claims, nothing else. */
export interface CitizenClaims {
  /** The pairwise subject (this site's own identifier of the citizen; not shown). */
  readonly sub: string;
  readonly name?: string | undefined;
  readonly ageOver19: boolean;
  readonly seoulResident: boolean;
}

/** A notice after a booking action, from a fixed list (the query never puts text on the page). */
export const NOTICES = {
  booked: { ko: '예약했습니다.', en: 'Booked.' },
  cancelled: { ko: '예약을 취소했습니다.', en: 'Booking cancelled.' },
  taken: { ko: '이미 다른 시민이 예약한 시간입니다.', en: 'Another citizen has already booked this slot.' },
  'not-yours': { ko: '내 예약이 아닙니다.', en: 'This is not your booking.' },
  'unknown-slot': { ko: '없는 시간대입니다.', en: 'There is no such slot.' },
  'not-eligible': { ko: '서울시에 거주하는 만 19세 이상 시민만 예약할 수 있습니다.', en: 'Only Seoul residents aged 19 or over can book.' },
  'signed-out': { ko: '로그아웃했습니다.', en: 'Signed out.' },
} satisfies Record<string, Bilingual>;

/** One of {@link NOTICES}. */
export type Notice = keyof typeof NOTICES;

/** Whether a citizen may book: a verified Seoul resident aged 19 or over. */
export function mayBook(citizen: CitizenClaims | undefined): boolean {
  return citizen !== undefined && citizen.seoulResident && citizen.ageOver19;
}

/** What the home page shows. */
export interface HomeView {
  citizen?: CitizenClaims | undefined;
  /** The provider refused the last sign-in: its `error_description` (its words, shown as text). */
  refusal?: string | undefined;
  notice?: Notice | undefined;
  /** The session's form token (signed in only). */
  csrf?: string | undefined;
}

/**
 * The home page: signed out, the sign-in button and the facilities (read only); signed in, what the site received
 * about the citizen, and the facilities with a button per slot — to book a free one, to cancel one's own.
 */
export function homePage(view: HomeView, bookings: Bookings): string {
  const { citizen, csrf } = view;
  const canBook = mayBook(citizen);
  const notice = view.notice ? `<p id="notice" role="status">${both(NOTICES[view.notice])}</p>` : '';
  const refusal =
    view.refusal !== undefined
      ? `<section id="refused" role="alert"><h2>로그인이 거절되었습니다 · Sign-in was refused</h2><p>시민카드 인증에서 알려 준 이유 · The reason the citizen card sign-in gave:</p><p id="refused-reason">${escapeHtml(view.refusal)}</p></section>`
      : '';
  const profile = citizen
    ? `<section id="profile" aria-labelledby="profile-title">
<h2 id="profile-title">시민카드로 로그인했습니다 · Signed in with the citizen card</h2>
<p>이 누리집이 받은 정보는 이것뿐입니다 · This is all the site received:</p>
<dl>
${citizen.name !== undefined ? `<div><dt>이름 · Name</dt><dd id="claim-name">${escapeHtml(citizen.name)}</dd></div>` : ''}
<div><dt>만 19세 이상 · Aged 19 or over</dt><dd id="claim-age-over-19">${citizen.ageOver19 ? '예 (확인됨) · Yes (verified)' : '확인되지 않음 · Not verified'}</dd></div>
<div><dt>서울시 거주 · Seoul resident</dt><dd id="claim-seoul-resident">${citizen.seoulResident ? '예 (확인됨) · Yes (verified)' : '확인되지 않음 · Not verified'}</dd></div>
</dl>
<form method="post" action="/logout"><input type="hidden" name="csrf" value="${escapeHtml(csrf ?? '')}"><button type="submit" id="sign-out">로그아웃 · Sign out</button></form>
</section>`
    : `<section id="signed-out">
<p>서울시민카드(지갑 앱)로 로그인하면 공공시설을 예약할 수 있습니다. 이 누리집은 이름, 만 19세 이상 여부, 서울시 거주 여부만 요청합니다 — 생년월일도 주소도 받지 않습니다.</p>
<p>Sign in with the Seoul citizen card in your wallet app to book a facility. This site asks only for your name, whether you are 19 or older and whether you live in Seoul — not your birth date, not your address.</p>
<p><a id="sign-in" class="button" href="/login">시민카드로 로그인 · Sign in with citizen card</a></p>
</section>`;
  const facilities = bookings
    .view(citizen?.sub)
    .map(({ facility, slots }) => {
      const rows = slots
        .map((slot) => {
          const state =
            slot.state === 'free' ? '예약 가능 · Free' : slot.state === 'mine' ? '내 예약 · Booked by you' : '예약됨 · Booked';
          const action =
            canBook && slot.state === 'free'
              ? slotForm('book', facility.id, slot.slotId, csrf, `예약 · Book`, `${facility.name.en} ${slot.label.en}`)
              : canBook && slot.state === 'mine'
                ? slotForm('cancel', facility.id, slot.slotId, csrf, `취소 · Cancel`, `${facility.name.en} ${slot.label.en}`)
                : '';
          return `<li class="slot slot-${slot.state}" data-slot="${escapeHtml(`${facility.id}/${slot.slotId}`)}"><span class="when">${both(slot.label)}</span> <span class="state">${state}</span> ${action}</li>`;
        })
        .join('');
      return `<li class="facility" data-facility="${escapeHtml(facility.id)}"><h3>${both(facility.name)}</h3><p class="place">${both(facility.place)}</p><ul class="slots">${rows}</ul></li>`;
    })
    .join('');
  return layout(`${notice}${refusal}${profile}
<section id="facilities" aria-labelledby="facilities-title">
<h2 id="facilities-title">시설 예약 · Facilities</h2>
<p>${canBook ? '빈 시간대를 예약하세요 · Book a free slot.' : '서울시에 거주하는 만 19세 이상 시민만 시민카드로 로그인한 뒤 예약할 수 있습니다 · Only Seoul residents aged 19 or over can book, after signing in with the citizen card.'}</p>
<ul class="facilities">${facilities}</ul>
</section>`);
}

/** A page for what went wrong around a sign-in (an expired sign-in, the provider out of reach): what to do next. */
export function problemPage(title: Bilingual, detail: Bilingual): string {
  return layout(`<section id="problem" role="alert"><h2>${both(title)}</h2><p>${both(detail)}</p><p><a class="button" href="/">처음으로 · Back to the start</a></p></section>`);
}

function slotForm(action: 'book' | 'cancel', facility: string, slot: string, csrf: string | undefined, label: string, what: string): string {
  return `<form method="post" action="/bookings" class="slot-form"><input type="hidden" name="action" value="${action}"><input type="hidden" name="facility" value="${escapeHtml(facility)}"><input type="hidden" name="slot" value="${escapeHtml(slot)}"><input type="hidden" name="csrf" value="${escapeHtml(csrf ?? '')}"><button type="submit" aria-label="${escapeHtml(`${label}: ${what}`)}">${escapeHtml(label)}</button></form>`;
}

function layout(main: string): string {
  return `<!doctype html>
<html lang="ko">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${both(SITE_NAME)}</title>
<link rel="stylesheet" href="/assets/site.css">
</head>
<body>
<header><h1><a href="/">${both(SITE_NAME)}</a></h1></header>
<main>
${main}
</main>
<footer><p id="memory-note">데모입니다: 예약은 이 서버의 메모리에만 보관되며 서버를 다시 시작하면 사라집니다 · A demo: bookings are kept in this server's memory only and are gone when it restarts.</p></footer>
</body>
</html>`;
}

function both(text: Bilingual): string {
  return `${escapeHtml(text.ko)} · ${escapeHtml(text.en)}`;
}

/** `text` safe inside HTML text and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The site's one style sheet (served at `/assets/site.css`): system fonts, readable contrast, phone-first. */
export const SITE_CSS = `*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,"Noto Sans KR","Apple SD Gothic Neo",sans-serif;color:#1b1f24;background:#f5f7fa;line-height:1.5}
header{background:#0b4a8b;color:#fff;padding:1rem}
header h1{margin:0;font-size:1.25rem}
header a{color:#fff;text-decoration:none}
main{max-width:44rem;margin:0 auto;padding:1rem}
section{background:#fff;border:1px solid #d4dae1;border-radius:.5rem;padding:1rem;margin-bottom:1rem}
h2{font-size:1.1rem;margin-top:0}
h3{font-size:1rem;margin:.25rem 0}
.button,button{display:inline-block;background:#0b4a8b;color:#fff;border:0;border-radius:.375rem;padding:.6rem 1rem;font:inherit;text-decoration:none;cursor:pointer}
.button:focus,button:focus{outline:3px solid #f2b705;outline-offset:2px}
#refused{border-color:#b42318;background:#fff5f4}
#refused h2{color:#b42318}
#notice{background:#eef6ee;border:1px solid #2e7d32;border-radius:.5rem;padding:.75rem}
dl div{display:flex;gap:1rem;justify-content:space-between;border-bottom:1px solid #e4e8ec;padding:.25rem 0}
dt{color:#3d4650}
dd{margin:0;font-weight:600}
ul.facilities,ul.slots{list-style:none;padding:0;margin:0}
li.facility{border-top:1px solid #e4e8ec;padding:.75rem 0}
.place{margin:0;color:#3d4650;font-size:.9rem}
li.slot{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem;padding:.25rem 0}
.slot-free .state{color:#1e6b2c}
.slot-taken .state{color:#5c6670}
.slot-mine .state{color:#0b4a8b;font-weight:600}
.slot-form{margin:0}
.slot-form button{padding:.35rem .75rem}
footer{max-width:44rem;margin:0 auto;padding:0 1rem 2rem;color:#3d4650;font-size:.9rem}
`;
