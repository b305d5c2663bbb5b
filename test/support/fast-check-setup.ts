/** jest setupFiles: every fast-check property of the run uses the seed of ./fast-check-seed.ts. */
import fc from 'fast-check';
import { fastCheckSeed } from './fast-check-seed';

const { seed } = fastCheckSeed();
fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
