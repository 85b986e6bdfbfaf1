/**
 * The working time and pay of a part-time labour contract the tests use: 15 hours a week (Monday, Wednesday and
 * Friday 09:00–14:30 less a 30-minute break), at the 2026 minimum wage of 10,320 KRW an hour, with the weekly holiday
 * allowance, statutory annual leave, pay on the 10th by bank transfer and the four social insurances. The members in
 * the order a contract document lists them; a new object on each call.
 */
export function partTimeSchedule() {
  return {
    hourlyWageKrw: 10320,
    weeklyHours: 15,
    workDays: [
      { day: 'mon' as const, startTime: '09:00', endTime: '14:30' },
      { day: 'wed' as const, startTime: '09:00', endTime: '14:30' },
      { day: 'fri' as const, startTime: '09:00', endTime: '14:30' },
    ],
    breaks: [{ startTime: '12:00', endTime: '12:30' }],
    weeklyHolidayAllowance: true,
    weeklyHoliday: 'sun' as const,
    annualLeave: 'statutory' as const,
    wagePayment: { payDay: 10, method: 'bank-transfer' as const },
    socialInsurance: { nationalPension: true, healthInsurance: true, employmentInsurance: true, industrialAccident: true },
  };
}

/**
 * The terms the café's owner drafts in the console API (`POST /console/api/labor/contracts`) for 김서연 (fictitious), a
 * barista at 한강카페 망원점 from 2 March to 31 December 2026 on the {@link partTimeSchedule}, with `over` laid on
 * top; a new object on each call.
 */
export function cafeContractTerms(over: Record<string, unknown> = {}) {
  return {
    worker: { name: '김서연' },
    workplace: { name: '한강카페 망원점', address: '서울특별시 마포구 포은로 12, 1층' },
    duties: '음료 제조, 주문 접수 및 매장 정리',
    role: '바리스타',
    period: { start: '2026-03-02', end: '2026-12-31' },
    ...partTimeSchedule(),
    ...over,
  };
}
