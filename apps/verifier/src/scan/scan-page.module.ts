import { Module } from '@nestjs/common';
import { ScanPageController } from './scan-page.controller.js';

/** The employer scanner page `/scan` (docs/oid4vp.md): OpenID4VP requests made and followed from a browser. */
@Module({ controllers: [ScanPageController] })
export class ScanPageModule {}
