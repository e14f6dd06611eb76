import { auditStoreConformance } from '../conformance.js';
import { fileSubject } from './file-harness.js';

auditStoreConformance(fileSubject);
