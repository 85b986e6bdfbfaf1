import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import QRCode from 'qrcode';

/** A video file for Chromium's fake camera, and the flags that make Chromium play it. */
export interface FakeCamera {
  /** The `.y4m` file. */
  readonly file: string;
  /**
   * Chromium's flags for a camera that plays the file, with the permission prompt answered yes. Without
   * `--use-fake-ui-for-media-stream` (see {@link FAKE_CAMERA_DENIED_FLAGS}) the page's request is refused.
   */
  readonly flags: readonly string[];
  /** Deletes the file and its folder. */
  remove(): void;
}

/** Chromium's flags for a fake camera whose permission prompt is answered no. */
export const FAKE_CAMERA_DENIED_FLAGS: readonly string[] = ['--use-fake-device-for-media-stream', '--deny-permission-prompts'];

/** Chromium's flags for a machine without a camera whose permission prompt is answered yes. */
export const NO_CAMERA_FLAGS: readonly string[] = ['--use-fake-ui-for-media-stream'];

/** Luma of black and white in the limited range a `C420` file means (BT.601 studio swing). */
const BLACK = 16;
const WHITE = 235;
/** Chroma of grey: no colour. */
const NEUTRAL = 128;

/**
 * A fake camera that films `text` as a QR code: one frame of YUV4MPEG2 4:2:0 (`C420`), `width` × `height` pixels,
 * black modules on white with the four-module quiet zone, each module a whole number of pixels and the symbol as large
 * as 90 % of the shorter side allows, centred. Chromium loops the one frame, so the page sees a steady picture.
 * @param text - what the QR code says
 * @param options - frame size (even numbers; default 960 × 720), error-correction level (default M), and `offside`:
 *   how much of the symbol's width lies beyond the frame's right edge (default 0; at 0.3 its right-hand finder
 *   pattern is cut off, so the code is seen but cannot be read, as before a person has aimed the camera)
 * @throws Error when `text` does not fit a QR code, or the frame is too small for its modules to be 2 pixels wide
 */
export function fakeCameraShowing(text: string, options: { width?: number; height?: number; level?: 'L' | 'M' | 'Q' | 'H'; offside?: number } = {}): FakeCamera {
  const { width = 960, height = 720, level = 'M', offside = 0 } = options;
  if (width % 2 !== 0 || height % 2 !== 0) throw new Error('a 4:2:0 frame needs an even width and height');
  const code = QRCode.create(text, { errorCorrectionLevel: level });
  const size = code.modules.size;
  const module = Math.floor((Math.min(width, height) * 0.9) / (size + 8));
  if (module < 2) throw new Error(`a ${size}-module QR code needs a larger frame than ${width}×${height}`);
  const left = offside > 0 ? width - Math.round(size * module * (1 - offside)) : Math.floor((width - size * module) / 2);
  const top = Math.floor((height - size * module) / 2);

  const luma = Buffer.alloc(width * height, WHITE);
  for (let row = 0; row < size; row += 1) {
    for (let column = 0; column < size; column += 1) {
      if (code.modules.data[row * size + column] !== 1) continue;
      const from = left + column * module;
      if (from >= width) continue;
      const to = Math.min(width, from + module);
      for (let y = top + row * module; y < top + (row + 1) * module; y += 1) luma.fill(BLACK, y * width + from, y * width + to);
    }
  }
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, NEUTRAL);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420\n`, 'ascii');

  const dir = mkdtempSync(join(tmpdir(), 'citycred-camera-'));
  const file = join(dir, 'qr.y4m');
  writeFileSync(file, Buffer.concat([header, Buffer.from('FRAME\n', 'ascii'), luma, chroma]));
  return {
    file,
    flags: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${file}`],
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** What {@link recordCameraStreams} leaves on the page's `window`. */
export interface CameraRecord {
  cameraStreams: MediaStream[];
}

/**
 * A page init script (Playwright's `page.addInitScript`) that keeps every stream `getUserMedia` gives the page in
 * `window.cameraStreams`, so a test can tell whether the page turned its camera off. The page's own call goes through
 * unchanged.
 */
export function recordCameraStreams(): void {
  const record = window as unknown as CameraRecord;
  record.cameraStreams = [];
  const devices = navigator.mediaDevices;
  if (!devices) return;
  const open = devices.getUserMedia.bind(devices);
  devices.getUserMedia = async (constraints) => {
    const stream = await open(constraints);
    record.cameraStreams.push(stream);
    return stream;
  };
}

/**
 * Runs in the page: whether its camera is off — the section `sectionSelector` hidden, no `<video>` in it showing a
 * stream, and every track recorded by {@link recordCameraStreams} ended.
 */
export function cameraIsOff(sectionSelector: string): boolean {
  const section = document.querySelector<HTMLElement>(sectionSelector);
  const video = section?.querySelector('video');
  const streams = (window as unknown as Partial<CameraRecord>).cameraStreams ?? [];
  return !!section && section.hidden && video?.srcObject === null && streams.every((stream) => stream.getTracks().every((track) => track.readyState === 'ended'));
}
