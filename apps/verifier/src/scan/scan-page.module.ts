import { Module, type DynamicModule } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { verifierPublicUrl } from '../public-url.js';
import type { VerifierRuntime } from '../runtime.js';
import { ScanPageController } from './scan-page.controller.js';
import { SCAN_PUBLIC_URL, ScanPresentationsController } from './scan-presentations.controller.js';
import { ScannedPresentations } from './scanned-presentations.js';
import { OfflineBundles } from './offline-bundle.js';
import { ScanOfflineController } from './scan-offline.controller.js';
import { ScanPageFiles } from './scan-page-files.js';

/**
 * The employer scanner (docs/oid4vp.md, docs/presentations.md): the page `/scan`, which makes and follows OpenID4VP
 * requests from a browser, `POST /scan/presentations` for a presentation a wallet shows as a QR code, and the
 * signed offline bundle with the browser module that verifies such a code without network (`GET /scan/offline-bundle`,
 * `GET /scan/offline.js`), and the service worker that keeps the page's files so that it opens without network
 * (`GET /scan/sw.js`).
 */
@Module({})
export class ScanPageModule {
  static register(runtime: Pick<VerifierRuntime, 'config' | 'scanned' | 'offlineBundles'>): DynamicModule {
    return {
      module: ScanPageModule,
      controllers: [ScanPageController, ScanPresentationsController, ScanOfflineController],
      providers: [
        // Read once as the verifier starts: the service worker's cache is named after these files' contents.
        { provide: ScanPageFiles, useValue: ScanPageFiles.read() },
        { provide: ScannedPresentations, useValue: runtime.scanned },
        { provide: OfflineBundles, useValue: runtime.offlineBundles },
        { provide: SCAN_PUBLIC_URL, inject: [HttpAdapterHost], useFactory: (host: HttpAdapterHost) => () => verifierPublicUrl(runtime.config, host) },
      ],
    };
  }
}
