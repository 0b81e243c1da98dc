import { simSuite } from './suite';

simSuite(100, 50);
