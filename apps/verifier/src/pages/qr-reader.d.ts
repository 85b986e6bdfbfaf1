/** Why the camera is off: it did not start (`denied`, `no-camera`, `busy`, `unsupported`) or stopped by itself. */
export type CameraProblem = 'denied' | 'no-camera' | 'busy' | 'unsupported' | 'interrupted';

/** The longest side, in pixels, a camera frame is scaled down to before it is decoded. */
export const FRAME_SIDE: number;

/** The text of the QR code in the picture a 2D context holds, if jsQR finds one. */
export function decodeContext(context: CanvasRenderingContext2D, width: number, height: number, inverted?: boolean): string | undefined;

/** The text of the QR code in an image file, if any (undefined also for a file the browser cannot decode). */
export function readQrImage(file: Blob): Promise<string | undefined>;

/** The size a picture is decoded at: its longest side at most `side` (default {@link FRAME_SIDE}), never scaled up. */
export function scaledDown(width: number, height: number, side?: number): { width: number; height: number };

/** Why the camera did not start, from the error `getUserMedia` rejected with. */
export function cameraProblem(error: unknown): Exclude<CameraProblem, 'interrupted'>;

/**
 * Turns the camera on in `video` and decodes frames until `onText` takes a text (returns true), then turns it off;
 * `onProblem` once if it did not start or stopped by itself; `stop()` turns it off silently.
 */
export function startCamera(
  video: HTMLVideoElement,
  handlers: { onText: (text: string) => boolean; onProblem: (problem: CameraProblem) => void; onStarted?: () => void },
): { stop: () => void };
