import { describe, expect, it } from 'vitest';
import { cameraProblem, FRAME_SIDE, scaledDown } from './qr-reader.js';

describe('the browser QR reader (camera frames and errors)', () => {
  it('scales a camera frame down to FRAME_SIDE on its longest side, proportions kept, and never up', () => {
    expect(scaledDown(1920, 1080)).toEqual({ width: FRAME_SIDE, height: 576 });
    expect(scaledDown(1080, 1920)).toEqual({ width: 576, height: FRAME_SIDE });
    expect(scaledDown(640, 480)).toEqual({ width: 640, height: 480 });
    expect(scaledDown(4000, 3000, 800)).toEqual({ width: 800, height: 600 });
    expect(scaledDown(0, 0)).toEqual({ width: 1, height: 1 });
  });

  it('tells why the camera did not start from the error getUserMedia rejected with', () => {
    const error = (name: string) => Object.assign(new Error('x'), { name });
    expect(cameraProblem(error('NotAllowedError'))).toBe('denied');
    expect(cameraProblem(error('SecurityError'))).toBe('denied');
    expect(cameraProblem(error('NotFoundError'))).toBe('no-camera');
    expect(cameraProblem(error('OverconstrainedError'))).toBe('no-camera');
    expect(cameraProblem(error('NotReadableError'))).toBe('busy');
    expect(cameraProblem(error('AbortError'))).toBe('busy');
    expect(cameraProblem(error('TypeError'))).toBe('unsupported');
    expect(cameraProblem(undefined)).toBe('unsupported');
  });
});
