/**
 * CityCred's shared browser library for its React pages (the verifier's /check and /scan, the citizen wallet): the
 * language provider and switch (Korean first, English on request), QR codes drawn as SVG, QR reading from the camera
 * and from images (jsQR), the camera hook, and the name of the wallet's tab that same-device links open. Browser code only: nothing here may import a Node built-in (tools/boundaries.mjs).
 */
export { fill, initialLang, LanguageProvider, LanguageSwitch, useDocumentTitle, useLanguage, useMessages, type Lang, type Language } from './i18n.js';
export { cameraProblem, decodeContext, FRAME_SIDE, readQrImage, scaledDown, startCamera, type CameraHandlers, type CameraProblem, type RunningCamera } from './qr-reader.js';
export { useQrCamera, type QrCamera } from './use-qr-camera.js';
export { qrPath, QrSvg, type QrLevel } from './qr-svg.js';
export { WALLET_TAB } from './wallet-tab.js';
