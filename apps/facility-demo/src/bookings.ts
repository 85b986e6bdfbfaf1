/** A text in Korean and English, as the site shows it side by side. */
export interface Bilingual {
  readonly ko: string;
  readonly en: string;
}

/** A public facility whose time slots citizens book. */
export interface Facility {
  readonly id: string;
  readonly name: Bilingual;
  readonly place: Bilingual;
  /** Its bookable slots, e.g. `sat-10`: one citizen each. */
  readonly slots: readonly { readonly id: string; readonly label: Bilingual }[];
}

/** The demo's facilities (fictional slots at real kinds of Seoul facilities). */
export const DEMO_FACILITIES: readonly Facility[] = Object.freeze([
  {
    id: 'mapo-pool',
    name: { ko: '마포구민체육센터 수영장', en: 'Mapo Sports Centre pool' },
    place: { ko: '마포구', en: 'Mapo-gu' },
    slots: [
      { id: 'sat-10', label: { ko: '토요일 10:00–11:00', en: 'Saturday 10:00–11:00' } },
      { id: 'sat-14', label: { ko: '토요일 14:00–15:00', en: 'Saturday 14:00–15:00' } },
    ],
  },
  {
    id: 'library-seminar',
    name: { ko: '서울도서관 세미나실', en: 'Seoul Library seminar room' },
    place: { ko: '중구', en: 'Jung-gu' },
    slots: [
      { id: 'wed-19', label: { ko: '수요일 19:00–21:00', en: 'Wednesday 19:00–21:00' } },
      { id: 'sun-13', label: { ko: '일요일 13:00–15:00', en: 'Sunday 13:00–15:00' } },
    ],
  },
  {
    id: 'hangang-tennis',
    name: { ko: '한강공원 테니스장', en: 'Hangang Park tennis court' },
    place: { ko: '영등포구', en: 'Yeongdeungpo-gu' },
    slots: [
      { id: 'sat-08', label: { ko: '토요일 08:00–10:00', en: 'Saturday 08:00–10:00' } },
      { id: 'sun-08', label: { ko: '일요일 08:00–10:00', en: 'Sunday 08:00–10:00' } },
    ],
  },
]);

/** One slot as a citizen sees it: free, theirs, or taken by someone else (never who). */
export interface SlotView {
  readonly facilityId: string;
  readonly slotId: string;
  readonly label: Bilingual;
  readonly state: 'free' | 'mine' | 'taken';
}

/** Why a booking or a cancellation was not made. */
export type BookingRefusal = 'unknown-slot' | 'taken' | 'not-yours';

/**
 * The demo's bookings, in memory only (a restart forgets them, as the page says): each slot is held by at most one
 * citizen, known by the pairwise subject the provider gave this site — never a name.
 */
export class Bookings {
  /** `facility/slot` → the holder's subject. */
  private readonly held = new Map<string, string>();

  constructor(readonly facilities: readonly Facility[] = DEMO_FACILITIES) {}

  /** Every facility with its slots as `subject` sees them (undefined: nobody signed in). */
  view(subject: string | undefined): { facility: Facility; slots: SlotView[] }[] {
    return this.facilities.map((facility) => ({
      facility,
      slots: facility.slots.map((slot) => {
        const holder = this.held.get(key(facility.id, slot.id));
        return { facilityId: facility.id, slotId: slot.id, label: slot.label, state: holder === undefined ? 'free' : holder === subject ? 'mine' : 'taken' };
      }),
    }));
  }

  /** Books a free slot for `subject`. */
  book(subject: string, facilityId: string, slotId: string): { ok: true } | { ok: false; reason: BookingRefusal } {
    if (!this.exists(facilityId, slotId)) return { ok: false, reason: 'unknown-slot' };
    const holder = this.held.get(key(facilityId, slotId));
    if (holder === subject) return { ok: true };
    if (holder !== undefined) return { ok: false, reason: 'taken' };
    this.held.set(key(facilityId, slotId), subject);
    return { ok: true };
  }

  /** Cancels `subject`'s own booking of a slot. */
  cancel(subject: string, facilityId: string, slotId: string): { ok: true } | { ok: false; reason: BookingRefusal } {
    if (!this.exists(facilityId, slotId)) return { ok: false, reason: 'unknown-slot' };
    if (this.held.get(key(facilityId, slotId)) !== subject) return { ok: false, reason: 'not-yours' };
    this.held.delete(key(facilityId, slotId));
    return { ok: true };
  }

  private exists(facilityId: string, slotId: string): boolean {
    return this.facilities.some((f) => f.id === facilityId && f.slots.some((s) => s.id === slotId));
  }
}

function key(facilityId: string, slotId: string): string {
  return `${facilityId}/${slotId}`;
}
