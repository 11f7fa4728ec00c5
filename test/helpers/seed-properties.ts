import fc from 'fast-check';
import { TEST_SEED } from './test-seed.js';

// Loaded before every test file (`node --import` in package.json's test script): a property
// without a seed of its own tries the same inputs on every run, so that one that failed in CI
// fails again on the next run and on any machine.
fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: TEST_SEED });
