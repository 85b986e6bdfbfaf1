export { startFacilityDemo, SESSION_COOKIE, SIGN_IN_COOKIE, type FacilityDemoSettings } from './server.js';
export { Bookings, DEMO_FACILITIES, type Facility } from './bookings.js';
export { SITE_CSP, SITE_NAME } from './pages.js';
export { SITE_SCOPE } from './relying-party.js';
export { facilityDemoEnv, FACILITY_DEMO_CLIENT_ID } from './config.js';
