// Reading QR codes in the browser: from pixels, from an uploaded image and from the camera. Shared by the verifier's
// pages (/check, /scan) and the citizen wallet. Decoding is jsQR's (the `jsqr` package, bundled by Vite).
import jsQR from 'jsqr';

/** The longest side, in pixels, a camera frame is scaled down to before it is decoded. */
export const FRAME_SIDE = 1024;
/** The pause between two camera frames decoded, in milliseconds: a few reads a second, the phone stays cool. */
const FRAME_PAUSE_MS = 120;

/** Why the camera is off: it did not start (`denied`, `no-camera`, `busy`, `unsupported`) or stopped by itself. */
export type CameraProblem = 'denied' | 'no-camera' | 'busy' | 'unsupported' | 'interrupted';

/** What {@link startCamera} tells its caller. */
export interface CameraHandlers {
  /** Gets each text read; returns true to take it (the camera turns off), false to keep looking. */
  onText: (text: string) => boolean;
  /** Called at most once, when the camera did not start or stopped by itself. */
  onProblem: (problem: CameraProblem) => void;
  /** Called once the preview plays. */
  onStarted?: () => void;
}

/** A camera turned on by {@link startCamera}. */
export interface RunningCamera {
  /** Turns the camera off silently (the person cancelled); safe to call twice. */
  stop(): void;
}

/**
 * The text of the QR code in a picture, if jsQR finds one.
 * @param context - a 2D context holding the picture from (0, 0)
 * @param inverted - also look for light modules on dark (slower; screens and prints are dark on light)
 */
export function decodeContext(context: CanvasRenderingContext2D, width: number, height: number, inverted = false): string | undefined {
  const { data } = context.getImageData(0, 0, width, height);
  const code = jsQR(data, width, height, { inversionAttempts: inverted ? 'attemptBoth' : 'dontInvert' });
  return code && code.data ? code.data : undefined;
}

/**
 * The text of the QR code in an image file (PNG, JPEG, …), if any.
 * @returns undefined also when the file is not an image the browser decodes
 */
export async function readQrImage(file: Blob): Promise<string | undefined> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    return undefined;
  }
  const canvas = document.createElement('canvas');
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  context.drawImage(bitmap, 0, 0);
  bitmap.close();
  return decodeContext(context, canvas.width, canvas.height, true);
}

/**
 * The size a `width` × `height` picture is decoded at: scaled down, proportions kept, so its longest side is at most
 * `side` (never scaled up).
 */
export function scaledDown(width: number, height: number, side = FRAME_SIDE): { width: number; height: number } {
  const scale = Math.min(1, side / Math.max(width, height, 1));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/**
 * Why the camera did not start, from the error `getUserMedia` rejected with: `denied` (the person or the browser's
 * settings refused it), `no-camera` (none, or none that fits), `busy` (another app holds it, or it failed to start),
 * `unsupported` (anything else: an old browser, an insecure page).
 */
export function cameraProblem(error: unknown): Exclude<CameraProblem, 'interrupted'> {
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
 * @param video - shows the preview (muted, inline)
 */
export function startCamera(video: HTMLVideoElement, { onText, onProblem, onStarted }: CameraHandlers): RunningCamera {
  let stopped = false;
  let stream: MediaStream | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true })!;

  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    clearTimeout(timer);
    removeEventListener('pagehide', interrupted);
    document.removeEventListener('visibilitychange', hidden);
    for (const track of stream?.getTracks() ?? []) track.stop();
    video.pause();
    video.srcObject = null;
  };
  function interrupted(): void {
    if (stopped) return;
    stop();
    onProblem('interrupted');
  }
  function hidden(): void {
    if (document.visibilityState === 'hidden') interrupted();
  }
  const read = (): void => {
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
    let opened: MediaStream;
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
