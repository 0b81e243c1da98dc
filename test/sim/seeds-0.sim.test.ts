import { simSuite } from './suite';

simSuite(0, 50, { canary: true });
