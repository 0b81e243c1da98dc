// Runs a TypeScript worker entry under tsx (the app runs the built JavaScript instead).
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.tsEntry);
