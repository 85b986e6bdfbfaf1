import { useMessages, useQrCamera, type CameraProblem } from '@citycred/web-ui';
import { useState, type FormEvent, type ReactNode } from 'react';
import { FLOW_TEXTS } from './texts.js';

/**
 * Where a flow starts: the camera reads a QR code (`useQrCamera`), or the citizen pastes the link. The first text read
 * goes to `onText`; the flow decides what it is (and says so when it is the wrong kind of code).
 * @param id - prefixes the ids of the controls (`receive`, `present`)
 * @param busy - a text was taken and is being checked: the controls wait
 */
export function ScanOrPaste({ id, busy, onText }: { id: string; busy: boolean; onText: (text: string) => void }): ReactNode {
  const f = useMessages(FLOW_TEXTS);
  const camera = useQrCamera();
  const [link, setLink] = useState('');
  const [problem, setProblem] = useState('');

  function scan(): void {
    setProblem('');
    camera.start({
      onText(text) {
        onText(text);
        return true;
      },
      onProblem(found: CameraProblem) {
        setProblem(found === 'denied' ? f.cameraDenied : found === 'interrupted' ? '' : f.cameraMissing);
      },
    });
  }

  function submit(event: FormEvent): void {
    event.preventDefault();
    const text = link.trim();
    if (text === '') {
      setProblem(f.pasteEmpty);
      return;
    }
    setProblem('');
    onText(text);
  }

  return (
    <div className="scan-or-paste">
      <div className="camera" hidden={!camera.on}>
        <video id={`${id}-camera`} ref={camera.videoRef} muted playsInline aria-label={f.cameraPreview} />
        <button type="button" className="secondary" onClick={camera.stop}>
          {f.stopCamera}
        </button>
      </div>
      {!camera.on && (
        <button type="button" id={`${id}-scan`} className="primary" disabled={busy} onClick={scan}>
          {f.scanWithCamera}
        </button>
      )}
      <form onSubmit={submit} className="panel">
        <label htmlFor={`${id}-link`}>{f.pasteLink}</label>
        <textarea id={`${id}-link`} rows={3} value={link} spellCheck={false} autoComplete="off" onChange={(event) => setLink(event.target.value)} disabled={busy} />
        <button type="submit" className="secondary" disabled={busy}>
          {f.continue}
        </button>
      </form>
      {problem && (
        <p role="alert" className="error">
          {problem}
        </p>
      )}
    </div>
  );
}
