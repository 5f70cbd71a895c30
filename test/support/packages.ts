/**
 * The committed generated packages and the headers each is generated from, in the order given to
 * `uapi-ts generate` (the root package.json's `generate` and `check:generated` scripts spell the
 * same commands; test/emit/golden.test.ts checks that they agree).
 */
import { join } from 'node:path';
import { REPO } from './trees.js';

export interface CommittedPackage {
  /** npm name. */
  name: string;
  /** Its folder. */
  dir: string;
  /** Headers, as included, in generate's order. */
  headers: readonly string[];
}

export const VFIO_PACKAGE: CommittedPackage = {
  name: '@uapi-ts/vfio',
  dir: join(REPO, 'generated', 'vfio'),
  headers: ['linux/vfio.h', 'linux/vfio_zdev.h', 'linux/vfio_ccw.h'],
};

export const IOMMUFD_PACKAGE: CommittedPackage = {
  name: '@uapi-ts/iommufd',
  dir: join(REPO, 'generated', 'iommufd'),
  headers: ['linux/iommufd.h'],
};

export const COMMITTED_PACKAGES: readonly CommittedPackage[] = [VFIO_PACKAGE, IOMMUFD_PACKAGE];
