import { simSuite } from './suite';

simSuite(50, 50);
