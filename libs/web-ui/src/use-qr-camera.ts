import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import { startCamera, type CameraHandlers, type RunningCamera } from './qr-reader.js';

/** The camera QR reader of one screen, as {@link useQrCamera} gives it. */
export interface QrCamera {
  /** For the `<video>` that shows the preview; keep it in the document (hidden while off) so the camera can start at once. */
  readonly videoRef: RefObject<HTMLVideoElement | null>;
  /** Whether the camera is on. */
  readonly on: boolean;
  /**
   * Turns the camera on (turning off one already on). The handlers are {@link startCamera}'s; when `onText` takes a
   * text or `onProblem` is called, the camera is already off.
   */
  start(handlers: CameraHandlers): void;
  /** Turns the camera off silently (the person cancelled, or the screen moves on). */
  stop(): void;
}

/**
 * The camera QR reader for a React screen: {@link startCamera} on the screen's `<video>`, turned off when the
 * component unmounts.
 */
export function useQrCamera(): QrCamera {
  const videoRef = useRef<HTMLVideoElement | null>(null);
  const running = useRef<RunningCamera | null>(null);
  const [on, setOn] = useState(false);

  const stop = useCallback(() => {
    running.current?.stop();
    running.current = null;
    setOn(false);
  }, []);

  const start = useCallback(
    (handlers: CameraHandlers) => {
      running.current?.stop();
      const video = videoRef.current;
      if (!video) {
        handlers.onProblem('unsupported');
        return;
      }
      let camera: RunningCamera | null = null;
      const off = () => {
        if (running.current === camera) {
          running.current = null;
          setOn(false);
        }
      };
      camera = startCamera(video, {
        onText(text) {
          const taken = handlers.onText(text);
          if (taken) off();
          return taken;
        },
        onProblem(problem) {
          off();
          handlers.onProblem(problem);
        },
        ...(handlers.onStarted ? { onStarted: handlers.onStarted } : {}),
      });
      running.current = camera;
      setOn(true);
    },
    [],
  );

  useEffect(() => () => running.current?.stop(), []);
  return { videoRef, on, start, stop };
}
