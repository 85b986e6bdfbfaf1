// Reading QR codes in the browser, shared by the verifier's pages (/check and /scan; docs/certificates.md,
// docs/oid4vp.md): from pixels, from an uploaded image and from the camera. Decoding is jsQR's (`window.jsQR`, a
// classic script each page loads before its modules, served from the jsqr package). Runs in the browser as an ES
// module; qr-reader.d.ts types it for the unit test.

/** The longest side, in pixels, a camera frame is scaled down to before it is decoded. */
export const FRAME_SIDE = 1024;
/** The pause between two camera frames decoded, in milliseconds: a few reads a second, the phone stays cool. */
const FRAME_PAUSE_MS = 120;

/**
 * The text of the QR code in a picture, if jsQR finds one.
 * @param {CanvasRenderingContext2D} context - a 2D context holding the picture from (0, 0)
 * @param {number} width
 * @param {number} height
 * @param {boolean} [inverted] - also look for light modules on dark (slower; screens and prints are dark on light)
 * @returns {string | undefined}
 */
export function decodeContext(context, width, height, inverted = false) {
  const { data } = context.getImageData(0, 0, width, height);
  const code = window.jsQR(data, width, height, { inversionAttempts: inverted ? 'attemptBoth' : 'dontInvert' });
  return code && code.data ? code.data : undefined;
}

/**
 * The text of the QR code in an image file (PNG, JPEG, …), if any.
 * @param {Blob} file
 * @returns {Promise<string | undefined>} undefined also when the file is not an image the browser decodes
 */
export async function readQrImage(file) {
  let bitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    return undefined;
  }
  const canvas = document.createElement('canvas');
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  const context = canvas.getContext('2d', { willReadFrequently: true });
  context.drawImage(bitmap, 0, 0);
  bitmap.close();
  return decodeContext(context, canvas.width, canvas.height, true);
}

/**
 * The size a `width` × `height` picture is decoded at: scaled down, proportions kept, so its longest side is at most
 * `side` (never scaled up).
 * @param {number} width
 * @param {number} height
 * @param {number} [side]
 * @returns {{width: number, height: number}}
 */
export function scaledDown(width, height, side = FRAME_SIDE) {
  const scale = Math.min(1, side / Math.max(width, height, 1));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/**
 * Why the camera did not start, from the error `getUserMedia` rejected with: `denied` (the person or the browser's
 * settings refused it), `no-camera` (none, or none that fits), `busy` (another app holds it, or it failed to start),
 * `unsupported` (anything else: an old browser, an insecure page).
 * @param {unknown} error
 * @returns {'denied' | 'no-camera' | 'busy' | 'unsupported'}
 */
export function cameraProblem(error) {
  const name = error && typeof error === 'object' && 'name' in error ? String(error.name) : '';
  if (name === 'NotAllowedError' || name === 'SecurityError' || name === 'PermissionDeniedError') return 'denied';
  if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'DevicesNotFoundError') return 'no-camera';
  if (name === 'NotReadableError' || name === 'AbortError' || name === 'TrackStartError') return 'busy';
  return 'unsupported';
}

/**
 * Turns the camera on in `video` (the rear camera where there is one) and decodes a downscaled copy of a frame a few
 * times a second until `onText` takes a text, then turns it off. It also turns off, and says `interrupted`, when the
 * page is hidden or left or the camera goes away; `stop()` turns it off silently (the person cancelled).
 * @param {HTMLVideoElement} video - shows the preview (muted, inline)
 * @param {{onText: (text: string) => boolean, onProblem: (problem: 'denied'|'no-camera'|'busy'|'unsupported'|'interrupted') => void, onStarted?: () => void}} handlers -
 *   `onText` gets each text read and returns true to take it (false: keep looking, e.g. for another kind of QR code);
 *   `onProblem` is called at most once, when the camera did not start or stopped by itself; `onStarted` once the
 *   preview plays
 * @returns {{stop: () => void}}
 */
export function startCamera(video, { onText, onProblem, onStarted }) {
  let stopped = false;
  /** @type {MediaStream | null} */
  let stream = null;
  let timer = 0;
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true });

  const stop = () => {
    if (stopped) return;
    stopped = true;
    clearTimeout(timer);
    removeEventListener('pagehide', interrupted);
    document.removeEventListener('visibilitychange', hidden);
    for (const track of stream?.getTracks() ?? []) track.stop();
    video.pause();
    video.srcObject = null;
  };
  function interrupted() {
    if (stopped) return;
    stop();
    onProblem('interrupted');
  }
  function hidden() {
    if (document.visibilityState === 'hidden') interrupted();
  }
  const read = () => {
    if (stopped) return;
    if (video.readyState >= video.HAVE_CURRENT_DATA && video.videoWidth > 0) {
      const { width, height } = scaledDown(video.videoWidth, video.videoHeight);
      if (canvas.width !== width || canvas.height !== height) {
        canvas.width = width;
        canvas.height = height;
      }
      context.drawImage(video, 0, 0, width, height);
      const text = decodeContext(context, width, height);
      if (text !== undefined && onText(text)) {
        stop();
        return;
      }
    }
    timer = setTimeout(read, FRAME_PAUSE_MS);
  };

  addEventListener('pagehide', interrupted);
  document.addEventListener('visibilitychange', hidden);
  void (async () => {
    if (!navigator.mediaDevices || typeof navigator.mediaDevices.getUserMedia !== 'function') {
      stop();
      onProblem('unsupported');
      return;
    }
    let opened;
    try {
      opened = await navigator.mediaDevices.getUserMedia({ audio: false, video: { facingMode: { ideal: 'environment' }, width: { ideal: 1280 }, height: { ideal: 720 } } });
    } catch (error) {
      if (stopped) return;
      stop();
      onProblem(cameraProblem(error));
      return;
    }
    if (stopped) {
      for (const track of opened.getTracks()) track.stop();
      return;
    }
    stream = opened;
    for (const track of stream.getVideoTracks()) track.addEventListener('ended', interrupted);
    video.muted = true;
    video.playsInline = true;
    video.srcObject = stream;
    try {
      await video.play();
    } catch {
      // A preview that does not play (an autoplay rule) still gets frames; decoding goes on regardless.
    }
    if (stopped) return;
    onStarted?.();
    read();
  })();
  return { stop };
}
