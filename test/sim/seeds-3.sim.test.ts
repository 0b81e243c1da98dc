import { simSuite } from './suite';

simSuite(150, 50);
